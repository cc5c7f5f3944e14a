#if canImport(Glibc)
import Glibc
#endif

/// The temporary files `AtomicFileWriter` writes before its rename: `.<name>.reconcile-<random>`, next to
/// the file. A random part, not the process id: in a container reconcile is always PID 1, and a file left
/// by a run that died mid-write would then block every later run.
enum TemporaryNames {
    /// A temporary left behind is ours to remove once it is this old: a write takes milliseconds, and
    /// every writer of a gateway's files holds its reconcile lock.
    static let staleAfterSeconds = 600

    static func prefix(for path: String) -> String {
        AtomicFileWriter.parentDirectory(of: path) + "/." + AtomicFileWriter.baseName(of: path) + ".reconcile-"
    }

    /// Creates a new temporary file (never one that exists, never through a link) and opens it for writing.
    static func create(for path: String, mode: mode_t) throws(FileError) -> (String, Int32) {
        var attempts = 0
        while true {
            let name = prefix(for: path) + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { return (name, fd) }
            attempts += 1
            guard errno == EEXIST, attempts < 8 else { throw FileError.errno(name, "create a temporary file next to \(path)") }
        }
    }

    /// Removes the temporaries of `path` that an earlier run left (killed mid-write, a power cut).
    static func removeStale(of path: String) {
        let start = "." + AtomicFileWriter.baseName(of: path) + ".reconcile-"
        removeStale(in: AtomicFileWriter.parentDirectory(of: path)) { $0.hasPrefix(start) }
    }

    /// Removes the entries of `directory` that `isOurs` names: only regular files owned by us, older than
    /// `staleAfterSeconds`.
    static func removeStale(in directory: String, now: time_t = time(nil), _ isOurs: (String) -> Bool) {
        for name in BackupStore.entries(directory) where isOurs(name) {
            let candidate = directory + "/" + name
            var info = stat()
            guard lstat(candidate, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
                  now - info.st_mtim.tv_sec > staleAfterSeconds else { continue }
            unlink(candidate)
        }
    }
}
