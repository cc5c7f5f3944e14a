#if canImport(Glibc)
import Glibc
#endif

/// A filesystem failure with the path, the operation and the system's own words.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String
    /// What the user can do, when the system's error says it (a full disk, a read-only mount).
    public var advice: String?

    public init(path: String, operation: String, reason: String, advice: String? = nil) {
        self.path = path
        self.operation = operation
        self.reason = reason
        self.advice = advice
    }

    static func errno(_ path: String, _ operation: String, _ code: Int32 = Glibc.errno) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(code)), advice: advice(for: code))
    }

    static func advice(for code: Int32) -> String? {
        switch code {
        case ENOSPC, EDQUOT: return "free some space on that filesystem, then run reconcile again"
        case EROFS: return "that filesystem is mounted read-only: remount it read-write, then run reconcile again"
        case EACCES, EPERM: return "reconcile needs to read and replace that file and write in its folder: run it as root or as the file's owner"
        case ENOTDIR, ENOENT: return "check that the folder exists and the path is right"
        default: return nil
        }
    }

    public var description: String { "\(path): cannot \(operation): \(reason)" + (advice.map { " (\($0))" } ?? "") }
}
