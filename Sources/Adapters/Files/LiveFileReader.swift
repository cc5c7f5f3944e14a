#if canImport(Glibc)
import Glibc
#endif
/// Reads a live file whole, with a size bound; a missing file is nil, not an error.
public enum LiveFileReader {
    /// Largest live file read, in bytes. Caddyfiles, compose files and HA configs are far smaller.
    public static let defaultMaxBytes = 16 << 20

    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes) throws(FileError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw FileError.errno(path, "open it for reading")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.errno(path, "stat it") }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: path, operation: "read it", reason: "it is not a regular file",
                            advice: "point reconcile at the file itself (a folder, device or pipe is never a configuration file)")
        }
        guard Int(info.st_size) <= maxBytes else {
            throw FileError(path: path, operation: "read it",
                            reason: "it is \(info.st_size) bytes, over the limit of \(maxBytes)",
                            advice: "a configuration file is never this large: check the path, and what wrote this file")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.errno(path, "read it")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes {
                throw FileError(path: path, operation: "read it", reason: "it grew over the limit of \(maxBytes) bytes",
                                advice: "a configuration file is never this large: check the path, and what writes this file")
            }
        }
        return bytes
    }
}
