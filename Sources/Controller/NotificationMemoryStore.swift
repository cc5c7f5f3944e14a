import Adapters
import FoundationEssentials
import Notifications

/// The notification rules' memory in the state dir (`notify-memory.json`), shared by CLI runs and the
/// daemon under the reconcile lock. Unreadable counts as empty: at worst one message is sent again.
enum NotificationMemoryStore {
    static func path(_ stateDir: String) -> String { stateDir + "/notify-memory.json" }

    static func load(stateDir: String) -> NotificationMemory {
        guard let bytes = LiveFileReader.readStateFile(path(stateDir)),
              let memory = try? JSONDecoder().decode(NotificationMemory.self, from: Data(bytes)),
              memory.schema == NotificationMemory.currentSchema else { return NotificationMemory() }
        return memory
    }

    static func save(_ memory: NotificationMemory, stateDir: String) throws(ReconcileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(memory)) ?? Data()) + [UInt8(ascii: "\n")]
        do {
            try Directories.create(stateDir)
            try AtomicFileWriter.write(bytes, to: path(stateDir), newFileMode: 0o600)
        } catch {
            throw .failed(.stateDirFailed, error.description)
        }
    }
}
