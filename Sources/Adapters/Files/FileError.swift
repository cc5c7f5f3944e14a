#if canImport(Glibc)
import Glibc
#endif

/// A filesystem failure with the path, the operation and the system's own words.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    static func errno(_ path: String, _ operation: String, _ code: Int32 = Glibc.errno) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    public var description: String { "\(path): cannot \(operation): \(reason)" }
}
