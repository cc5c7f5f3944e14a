#if canImport(Glibc)
import Glibc
#endif
/// Reads a file reconcile is given (a live file, the desired state, a setting, the policy) whole, with a
/// size bound; a missing file is nil, not an error. Only a regular file is read: its type is checked
/// before it is opened and again on what was opened, and it is opened non-blocking, so a named pipe
/// or a device (`/dev/zero`) in its place is refused at once instead of hanging or eating memory.
public enum LiveFileReader {
    /// Largest live file read, in bytes. Caddyfiles, compose files and HA configs are far smaller.
    public static let defaultMaxBytes = 16 << 20

    /// One of reconcile's own files in its state dir (status, history, applied commit): a regular file,
    /// never a link planted there; nil when missing or unreadable (the caller starts afresh).
    public static func readStateFile(_ path: String) -> [UInt8]? {
        try? read(path, maxBytes: 4 << 20, followLinks: false)
    }

    /// `followLinks: false` refuses a symbolic link in the last component instead of reading its target.
    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes, followLinks: Bool = true) throws(FileError) -> [UInt8]? {
        var named = stat()
        guard (followLinks ? stat(path, &named) : lstat(path, &named)) == 0 else {
            if errno == ENOENT { return nil }
            throw FileError.errno(path, "read it")
        }
        try requireRegular(named.st_mode, path)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { try requireRegular(S_IFLNK, path) }
            throw FileError.errno(path, "open it for reading")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.errno(path, "stat it") }
        // Swapped for something else between the check and the open: refuse what was opened if it is not a file.
        try requireRegular(info.st_mode, path)
        guard Int(info.st_size) <= maxBytes else {
            throw FileError(path: path, operation: "read it",
                            reason: "it is \(info.st_size) bytes, over the limit of \(maxBytes)",
                            advice: "a configuration file is never this large: check the path, and what wrote this file", kind: .tooLarge)
        }
        return try readAll(fd, path: path, expected: Int(info.st_size), maxBytes: maxBytes, doing: "read it") { () -> FileError in
            FileError(path: path, operation: "read it", reason: "it grew over the limit of \(maxBytes) bytes",
                      advice: "a configuration file is never this large: check the path, and what writes this file", kind: .tooLarge)
        }
    }

    /// What is left to read on `fd`, up to `maxBytes` (over it: `tooLarge`). The one read loop of every bounded file read.
    static func readAll(_ fd: Int32, path: String, expected: Int, maxBytes: Int, doing: String,
                        tooLarge: () -> FileError) throws(FileError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expected, 0), maxBytes))
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.errno(path, doing)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes { throw tooLarge() }
        }
    }

    static func requireRegular(_ mode: mode_t, _ path: String) throws(FileError) {
        let type = mode & S_IFMT
        guard type != S_IFREG else { return }
        throw FileError(path: path, operation: "read it", reason: "it is not a regular file but \(describe(type))",
                        advice: type == S_IFLNK
                            ? "put the file itself there: reconcile does not follow a link here"
                            : "point reconcile at the file itself (a folder, device or pipe is never a configuration file)",
                        kind: .notRegularFile)
    }

    /// `a named pipe (FIFO)`, for messages.
    static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "of an unknown type"
        }
    }
}
