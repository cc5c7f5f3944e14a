import Adapters
import Foundation
import StatusPage

/// The last reconciles, newest first, kept in the state dir for the status page: bounded, so a gateway
/// that reconciles every five minutes for years keeps a file of a few kilobytes.
public enum ReconcileHistoryStore {
    public static let maxEntries = 50

    static func path(_ stateDir: String) -> String { stateDir + "/reconcile-history.json" }

    /// Empty when there is none yet, or when it is unreadable (the page then starts a new history).
    public static func load(stateDir: String) -> [HistoryEntry] {
        guard let data = FileManager.default.contents(atPath: path(stateDir)) else { return [] }
        return (try? JSONDecoder().decode([HistoryEntry].self, from: data)) ?? []
    }

    /// Puts `entry` first and drops what falls past the bound; returns the history as saved.
    @discardableResult
    public static func append(_ entry: HistoryEntry, stateDir: String) throws(FileError) -> [HistoryEntry] {
        let history = Array(([entry] + load(stateDir: stateDir)).prefix(maxEntries))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(history)) ?? Data("[]".utf8)) + [UInt8(ascii: "\n")]
        try Directories.create(stateDir)
        try AtomicFileWriter.write(bytes, to: path(stateDir), newFileMode: 0o600)
        return history
    }
}
