#if canImport(Glibc)
import Glibc
#endif
import Diagnostics

/// Which file a path named when it was read: a later write can tell the file was replaced meanwhile.
public struct FileIdentity: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modified: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
    }
}

/// A live file as read: its bytes and identity; nil when it does not exist.
public struct StoredFile: Sendable, Hashable {
    public var bytes: [UInt8]
    public var identity: FileIdentity?

    public init(bytes: [UInt8], identity: FileIdentity?) {
        self.bytes = bytes
        self.identity = identity
    }
}

/// The live files an apply reads and replaces. Implementations: `LocalFileStore` (the filesystem: atomic
/// rename, backups under the state dir); tests use `InMemoryFileStoreDouble`.
public protocol FileStore: Sendable {
    func read(_ path: String) throws(FileError) -> StoredFile?
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

    public func read(_ path: String) throws(FileError) -> StoredFile? {
        guard let bytes = try LiveFileReader.read(path) else { return nil }
        var info = stat()
        let identity = stat(path, &info) == 0
            ? FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                           modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
            : nil
        return StoredFile(bytes: bytes, identity: identity)
    }

    public func backUp(_ content: [UInt8], of path: String) throws(FileError) -> String { try backups.save(content, of: path) }
    public func write(_ content: [UInt8], to path: String, expecting expected: ExpectedContent) throws(FileError) {
        try AtomicFileWriter.write(content, to: path, expecting: expected)
    }

    public func remove(_ path: String, expecting expected: ExpectedContent) throws(FileError) {
        try AtomicFileWriter.remove(path, expecting: expected)
    }
    public func checkWritable(_ path: String) throws(Diagnostic) { try LivePathGuard.checkWritable(path) }
}
