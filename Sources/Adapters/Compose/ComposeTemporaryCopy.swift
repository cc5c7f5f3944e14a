import FoundationEssentials
import Glibc

/// The edited bytes in a hidden file beside the real compose file, for Compose to check before anything
/// is written: same directory, so relative paths, `.env` and the project name (the directory's name)
/// resolve exactly as for the real file. Mode 0600 (a compose file may hold secrets); always removed.
enum ComposeTemporaryCopy {
    static func with<T>(_ bytes: [UInt8], beside file: String,
                        _ body: (String) throws(ComposeRuntimeError) -> T) throws(ComposeRuntimeError) -> T {
        let url = URL(fileURLWithPath: file)
        let directory = url.deletingLastPathComponent().path
        let name = ".\(url.lastPathComponent).reconcile-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("could not create \(path): \(String(cString: strerror(errno)))") }
        defer { unlink(path) }
        var written = 0
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 { if errno == EINTR { continue } else { return false } }
                written += count
            }
            return true
        }
        let closed = close(fd) == 0
        guard ok, closed else { throw failure("could not write \(path): \(String(cString: strerror(errno)))") }
        return try body(path)
    }

    private static func failure(_ message: String) -> ComposeRuntimeError {
        ComposeRuntimeError(kind: .fileSystem, command: [], exitStatus: nil, stderr: message,
                            context: "placing the edited compose file beside the real one for Compose to check")
    }
}
