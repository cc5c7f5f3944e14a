#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that a crash at any moment leaves either the old or the new content:
/// a temporary file in the same directory, fsync, rename over the original, fsync the directory.
/// The new file keeps the original's mode, owner and group.
///
/// With an expectation, the live file is read again right before the rename (after the slow fsync) and
/// compared: a file that changed is left as it is (`FileError.Kind.changedSinceRead`). What is left is a
/// window of microseconds between that read and the rename, which no POSIX call closes for a plain file.
public enum AtomicFileWriter {
    public static func write(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o644,
                             expecting expected: ExpectedContent = .anything) throws(FileError) {
        let directory = parentDirectory(of: path)
        var original = stat()
        let exists = stat(path, &original) == 0
        let mode = exists ? (original.st_mode & 0o7777) : newFileMode
        TemporaryNames.removeStale(of: path)
        let (temporary, fd) = try TemporaryNames.create(for: path, mode: mode)
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        if Failpoint.injectsFullDisk(writing: path) {
            close(fd)
            throw FileError.errno(temporary, "write it", ENOSPC)
        }
        try fill(fd, with: bytes, path: temporary, owner: exists ? original : nil, mode: mode)
        if try check(path, holds: expected, orAlready: bytes) { return }
        if expected == .absent {
            try create(temporary, at: path)
        } else {
            guard rename(temporary, path) == 0 else { throw FileError.errno(path, "replace it") }
        }
        committed = true
        syncDirectory(directory)
    }

    /// Throws `changedSinceRead` when `path` holds neither `expected` nor `new` (nil: absent). True when it
    /// holds `new` already (a restore that ran before): then there is nothing to do.
    static func check(_ path: String, holds expected: ExpectedContent, orAlready new: [UInt8]?) throws(FileError) -> Bool {
        if expected == .anything { return false }
        let current: [UInt8]?
        var info = stat()
        if lstat(path, &info) != 0 && errno == ENOENT {
            current = nil
        } else {
            // Unreadable now (replaced by a link, a pipe, a larger file) counts as changed too.
            guard let read = try? LiveFileReader.read(path, followLinks: false) else { throw changed(path) }
            current = read
        }
        if current == new { return true }
        switch expected {
        case .anything: return false
        case .absent: if current == nil { return false }
        case .bytes(let bytes): if current == bytes { return false }
        }
        throw changed(path)
    }

    /// Puts `temporary` at `path` only if nothing is there: link(2) fails rather than replace a file that
    /// appeared meanwhile. A filesystem without hard links (vfat) gets a rename, after the check just made.
    static func create(_ temporary: String, at path: String) throws(FileError) {
        if link(temporary, path) == 0 {
            unlink(temporary)
            return
        }
        switch errno {
        case EEXIST: throw changed(path)
        case EPERM, EOPNOTSUPP: guard rename(temporary, path) == 0 else { throw FileError.errno(path, "create it") }
        default: throw FileError.errno(path, "create it")
        }
    }

    static func changed(_ path: String) -> FileError {
        FileError(path: path, operation: "replace it",
                  reason: "it changed after the plan was made (someone wrote it during this apply); reconcile leaves that edit as it is",
                  advice: "nothing of the edit is lost: the next run plans again from what the file holds now",
                  kind: .changedSinceRead)
    }

    /// Writes and flushes the temporary file, then closes it.
    private static func fill(_ fd: Int32, with bytes: [UInt8], path: String, owner: stat?, mode: mode_t) throws(FileError) {
        defer { close(fd) }
        if let owner {
            // Same owner and group as the file we replace; mode again, since umask trimmed it.
            _ = fchown(fd, owner.st_uid, owner.st_gid)
        }
        guard fchmod(fd, mode) == 0 else { throw FileError.errno(path, "set its mode") }
        try writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw FileError.errno(path, "flush it to disk") }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError.errno(path, "write it")
            }
            offset += written
        }
    }

    /// Makes the rename itself durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

extension AtomicFileWriter {
    /// Removes a file we created, durably; a file already gone is fine. With an expectation, a file that
    /// no longer holds it is left in place (`changedSinceRead`).
    public static func remove(_ path: String, expecting expected: ExpectedContent = .anything) throws(FileError) {
        if try check(path, holds: expected, orAlready: nil) { return }
        if unlink(path) != 0 && errno != ENOENT { throw FileError.errno(path, "remove it") }
        syncDirectory(parentDirectory(of: path))
    }
}
