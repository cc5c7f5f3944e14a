import Crypto
import EssentialsExtras
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Answers reconcile would otherwise start a process for on every run, remembered in the state dir under
/// keys that change whenever the answer could: a Compose client's version (the identity of its binaries),
/// Compose's config hashes (everything Compose reads to compute them), a Caddy container's version (its id).
/// A missing or unreadable memo is an empty one; it is written only into a folder that exists already.
public struct EngineFacts: Sendable {
    /// The state dir; nil remembers nothing.
    public let directory: String?

    public init(directory: String?) {
        self.directory = directory
    }

    static let fileName = "engine-facts.json"
    /// Entries kept per kind of fact, newest first: one gateway needs one or two of each.
    static let kept = 8

    struct Entry: Codable, Equatable {
        var key: String
        var value: [String: String]
    }

    struct Memo: Codable {
        var composeVersions: [Entry] = []
        var configHashes: [Entry] = []
        var caddyVersions: [Entry] = []
    }

    var path: String? { directory.map { $0 + "/" + Self.fileName } }

    func load() -> Memo {
        guard let path, let bytes = LiveFileReader.readStateFile(path),
              let memo = try? JSONDecoder().decode(Memo.self, from: Data(bytes)) else { return Memo() }
        return memo
    }

    func lookup(_ list: KeyPath<Memo, [Entry]>, _ key: String) -> [String: String]? {
        load()[keyPath: list].first { $0.key == key }?.value
    }

    /// Best effort: a memo that cannot be written costs the next run a process, nothing else.
    func remember(_ list: WritableKeyPath<Memo, [Entry]>, _ key: String, _ value: [String: String]) {
        guard let directory, let path else { return }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return }
        var memo = load()
        memo[keyPath: list].removeAll { $0.key == key }
        memo[keyPath: list].insert(Entry(key: key, value: value), at: 0)
        memo[keyPath: list] = Array(memo[keyPath: list].prefix(Self.kept))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(memo) else { return }
        try? AtomicFileWriter.write(Array(data) + [UInt8(ascii: "\n")], to: path, newFileMode: 0o600)
    }

    // MARK: - Keys

    /// SHA-256 of the parts, each length-prefixed so no two lists of parts give the same input.
    static func key(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            let bytes = Array(part.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return Hex.encode(hasher.finalize())
    }

    static func digest(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }

    /// A file's identity: device, inode, size, modification and change times; "-" when it does not exist.
    /// A binary replaced by a package update, or a file edited in place, changes it.
    static func identity(_ path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) -" }
        return "\(path) \(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }
}
