import Diagnostics

/// The live files an apply reads and replaces. Implementations: `LocalFileStore` (the filesystem: atomic
/// rename, backups under the state dir); tests use `InMemoryFileStoreDouble`.
public protocol FileStore: Sendable {
    /// The file's bytes; nil when it does not exist.
    func read(_ path: String) throws(FileError) -> [UInt8]?
    /// Keeps a copy of `content` (what `path` holds now); returns where.
    func backUp(_ content: [UInt8], of path: String) throws(FileError) -> String
    /// Replaces `path` with `content` all at once: a reader sees the old file or the new one, never a mix.
    /// Only while it holds `expected` (what the plan read): else nothing is written, `changedSinceRead`.
    func write(_ content: [UInt8], to path: String, expecting expected: ExpectedContent) throws(FileError)
    /// Removes `path`, only while it holds `expected`.
    func remove(_ path: String, expecting expected: ExpectedContent) throws(FileError)
    /// The path may be replaced (see `LivePathGuard`).
    func checkWritable(_ path: String) throws(Diagnostic)
    /// Where backups are kept, for messages.
    var backupLocation: String { get }
}

public struct LocalFileStore: FileStore {
    public let backups: BackupStore

    public init(stateDir: String) { backups = BackupStore(directory: stateDir + "/backups") }

    public var backupLocation: String { backups.directory }

    public func read(_ path: String) throws(FileError) -> [UInt8]? { try LiveFileReader.read(path) }

    public func backUp(_ content: [UInt8], of path: String) throws(FileError) -> String { try backups.save(content, of: path) }
    public func write(_ content: [UInt8], to path: String, expecting expected: ExpectedContent) throws(FileError) {
        try AtomicFileWriter.write(content, to: path, expecting: expected)
    }

    public func remove(_ path: String, expecting expected: ExpectedContent) throws(FileError) {
        try AtomicFileWriter.remove(path, expecting: expected)
    }
    public func checkWritable(_ path: String) throws(Diagnostic) { try LivePathGuard.checkWritable(path) }
}
