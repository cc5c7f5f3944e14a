import Adapters
import Diagnostics
import FoundationEssentials
import Planner

/// The ledger of what reconcile added, as JSON in the state dir. Written after the files it describes,
/// so a crash in between forgets an addition (never pruned: safe) rather than claiming one.
public enum LedgerStore {
    static func path(_ stateDir: String) -> String { stateDir + "/ledger.json" }

    public static func load(stateDir: String) throws(ReconcileError) -> Ledger {
        let file = path(stateDir)
        let bytes: [UInt8]?
        do {
            bytes = try LiveFileReader.read(file, maxBytes: 4 << 20)
        } catch {
            throw .failed(.stateDirFailed, error.description)
        }
        guard let bytes else { return .empty }
        do {
            return try JSONDecoder().decode(Ledger.self, from: Data(bytes))
        } catch {
            throw .invalidInput(.init([.init(file: file, position: nil, message: "the ledger is not readable: \(error)",
                                             hint: "move it aside: reconcile then forgets what it added and prunes nothing it did not record")]), reason: .invalidLiveFile)
        }
    }

    /// Writes the ledger when its content changed; returns whether it wrote.
    @discardableResult
    public static func save(_ ledger: Ledger, stateDir: String) throws(ReconcileError) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes = Array((try? encoder.encode(ledger)) ?? Data("{}".utf8)) + [UInt8(ascii: "\n")]
        do {
            if try LiveFileReader.read(path(stateDir)) == bytes { return false }
            try Directories.create(stateDir)
            try AtomicFileWriter.write(bytes, to: path(stateDir), newFileMode: 0o600)
        } catch {
            throw .failed(.stateDirFailed, error.description)
        }
        return true
    }
}
