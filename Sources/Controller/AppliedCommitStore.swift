import Adapters
import FoundationEssentials

/// The last commit this gateway applied, kept in the state dir: what force-push detection compares the
/// branch head with, and what reports call "last applied".
public struct AppliedCommit: Sendable, Hashable, Codable {
    public var id: String
    public var subject: String
    /// Where it came from: the remote URL (without credentials) or the local folder.
    public var source: String
    public var branch: String?

    public init(id: String, subject: String, source: String, branch: String?) {
        self.id = id
        self.subject = subject
        self.source = source
        self.branch = branch
    }
}

public enum AppliedCommitStore {
    static func path(_ stateDir: String) -> String { stateDir + "/applied-commit.json" }

    /// Nil when nothing was applied yet, or the record is unreadable (then force-push detection has nothing
    /// to protect, which is what a fresh gateway looks like).
    public static func load(stateDir: String) -> AppliedCommit? {
        guard let bytes = LiveFileReader.readStateFile(path(stateDir)) else { return nil }
        return try? JSONDecoder().decode(AppliedCommit.self, from: Data(bytes))
    }

    public static func save(_ commit: AppliedCommit, stateDir: String) throws(ReconcileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(commit)) ?? Data()) + [UInt8(ascii: "\n")]
        do {
            try Directories.create(stateDir)
            try AtomicFileWriter.write(bytes, to: path(stateDir), newFileMode: 0o600)
        } catch {
            throw .failed(.stateDirFailed, error.description)
        }
    }
}
