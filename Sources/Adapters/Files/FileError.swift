#if canImport(Glibc)
import Glibc
#endif

/// A filesystem failure with the path, the operation and the system's own words.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure, for callers that classify it (terminal or retryable).
    public enum Kind: Sendable, Hashable {
        /// The system refused (errno): a full disk, a permission, a vanished folder.
        case system
        /// Not a regular file (a pipe, a device, a folder, a refused link): never a configuration file.
        case notRegularFile
        /// Over the size bound of its kind of file.
        case tooLarge
        /// The file is no longer what was read when the plan was made (someone edited it meanwhile).
        case changedSinceRead
        /// A folder others may write in (the state dir), or a link where reconcile keeps its own files.
        case unsafeLocation
        /// A secret file group or others may read or change.
        case notPrivate
        /// Read, but not what the file must hold (an empty token file).
        case unusableContent
    }

    public var path: String
    public var operation: String
    public var reason: String
    /// What the user can do, when the system's error says it (a full disk, a read-only mount).
    public var advice: String?
    public var kind: Kind

    public init(path: String, operation: String, reason: String, advice: String? = nil, kind: Kind = .system) {
        self.path = path
        self.operation = operation
        self.reason = reason
        self.advice = advice
        self.kind = kind
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
