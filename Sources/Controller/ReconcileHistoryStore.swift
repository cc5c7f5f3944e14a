import Adapters
import Foundation
import StatusPage

/// The last reconciles, newest first, kept in the state dir for the status page: bounded, so a gateway
/// that reconciles every five minutes for years keeps a file of a few kilobytes.
public enum ReconcileHistoryStore {
    public static let maxEntries = 50

    static func path(_ stateDir: String) -> String { stateDir + "/reconcile-history.json" }
    static func servicesPath(_ stateDir: String) -> String { stateDir + "/status-page-services.json" }

    /// The services as the last page showed them: what is live while a later commit is refused.
    public static func loadServices(stateDir: String) -> [ServiceEntry] {
        guard let data = FileManager.default.contents(atPath: servicesPath(stateDir)) else { return [] }
        return (try? JSONDecoder().decode([ServiceEntry].self, from: data)) ?? []
    }

    public static func saveServices(_ services: [ServiceEntry], stateDir: String) throws(FileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(services)) ?? Data("[]".utf8)) + [UInt8(ascii: "\n")]
        try Directories.create(stateDir)
        try AtomicFileWriter.write(bytes, to: servicesPath(stateDir), newFileMode: 0o600)
    }

    /// Empty when there is none yet, or when it is unreadable (the page then starts a new history).
    public static func load(stateDir: String) -> [HistoryEntry] {
        guard let data = FileManager.default.contents(atPath: path(stateDir)) else { return [] }
        return (try? JSONDecoder().decode([HistoryEntry].self, from: data)) ?? []
    }

    /// Puts `entry` first and drops what falls past the bound; returns the history as saved. An entry that
    /// says nothing new (a timer tick on a gateway in sync) folds into the newest one, so the history keeps
    /// what happened rather than fifty identical ticks.
    @discardableResult
    public static func append(_ entry: HistoryEntry, stateDir: String) throws(FileError) -> [HistoryEntry] {
        let history = HistoryFolding.folded(entry, into: load(stateDir: stateDir), limit: maxEntries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(history)) ?? Data("[]".utf8)) + [UInt8(ascii: "\n")]
        try Directories.create(stateDir)
        try AtomicFileWriter.write(bytes, to: path(stateDir), newFileMode: 0o600)
        return history
    }
}
