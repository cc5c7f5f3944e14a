#if canImport(Glibc)
import Glibc
#endif

/// Writes a file so that a crash at any moment leaves either the old or the new content:
/// a temporary file in the same directory, fsync, rename over the original, fsync the directory.
/// The new file keeps the original's mode, owner and group.
public enum AtomicFileWriter {
    public static func write(_ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o644) throws(FileError) {
        let directory = parentDirectory(of: path)
        var original = stat()
        let exists = stat(path, &original) == 0
        let mode = exists ? (original.st_mode & 0o7777) : newFileMode
        let temporary = directory + "/." + baseName(of: path) + ".reconcile-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw FileError.errno(temporary, "create a temporary file next to \(path)") }
        var committed = false
        defer {
            if !committed { unlink(temporary) }
        }
        if Failpoint.injectsFullDisk(writing: path) {
            close(fd)
            throw FileError.errno(temporary, "write it", ENOSPC)
        }
        try fill(fd, with: bytes, path: temporary, owner: exists ? original : nil, mode: mode)
        guard rename(temporary, path) == 0 else { throw FileError.errno(path, "replace it") }
        committed = true
        syncDirectory(directory)
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
    /// Removes a file we created, durably; a file already gone is fine.
    public static func remove(_ path: String) throws(FileError) {
        if unlink(path) != 0 && errno != ENOENT { throw FileError.errno(path, "remove it") }
        syncDirectory(parentDirectory(of: path))
    }
}
