#if canImport(Glibc)
import Glibc
#endif

/// Timestamped copies of every file before we write it, under the state dir, a bounded number per file.
/// A backup has the original's mode: a private file does not become readable through its backup.
public struct BackupStore: Sendable {
    public var directory: String
    /// How many backups of one file are kept; older ones are deleted.
    public var keep: Int

    public init(directory: String, keep: Int = 10) {
        self.directory = directory
        self.keep = keep
    }

    /// Copies `bytes` (the current content of `path`) and returns the backup's path.
    @discardableResult
    public func save(_ bytes: [UInt8], of path: String, now: timespec = BackupStore.now()) throws(FileError) -> String {
        let folder = directory + "/" + BackupStore.folderName(for: path)
        try Directories.create(folder, within: AtomicFileWriter.parentDirectory(of: directory))
        var original = stat()
        let mode: mode_t = stat(path, &original) == 0 ? original.st_mode & 0o777 : 0o600
        let name = BackupStore.timestamp(now) + ".bak"
        let target = folder + "/" + name
        try AtomicFileWriter.write(bytes, to: target, newFileMode: mode)
        prune(folder)
        return target
    }

    /// The backups of `path`, oldest first.
    public func backups(of path: String) -> [String] {
        let folder = directory + "/" + BackupStore.folderName(for: path)
        return BackupStore.entries(folder).filter { $0.hasSuffix(".bak") }.sorted().map { folder + "/" + $0 }
    }

    private func prune(_ folder: String) {
        let names = BackupStore.entries(folder).filter { $0.hasSuffix(".bak") }.sorted()
        for name in names.dropLast(keep) { unlink(folder + "/" + name) }
        // Each backup has a name of its own, so a temporary left by a crash is never written over: removed here.
        TemporaryNames.removeStale(in: folder) { $0.hasPrefix(".") && $0.contains(".bak.reconcile-") }
    }

    /// `/usr/local/caddy/Caddyfile` -> `usr_local_caddy_Caddyfile`: one folder per live file.
    static func folderName(for path: String) -> String {
        String(path.map { $0 == "/" ? "_" : $0 }.drop { $0 == "_" })
    }

    public static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
    }

    /// `20261125T071500.123456789Z`: sorts in time order as text.
    static func timestamp(_ time: timespec) -> String {
        var seconds = time_t(time.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let nanos = String(time.tv_nsec)
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "."
            + String(repeating: "0", count: 9 - nanos.count) + nanos + "Z"
    }

    static func entries(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
