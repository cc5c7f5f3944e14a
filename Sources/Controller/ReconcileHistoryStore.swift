import Adapters
import FoundationEssentials
import StatusPage

/// The last reconciles, newest first, kept in the state dir for the status page: bounded, so a gateway
/// that reconciles every five minutes for years keeps a file of a few kilobytes.
public enum ReconcileHistoryStore {
    public static let maxEntries = 50

    static func path(_ stateDir: String) -> String { stateDir + "/status-history.json" }
    static func servicesPath(_ stateDir: String) -> String { stateDir + "/status-page-services.json" }

    /// The services as the last page showed them: what is live while a later commit is refused.
    public static func loadServices(stateDir: String) -> [ServiceEntry] { read(servicesPath(stateDir)) }

    public static func saveServices(_ services: [ServiceEntry], stateDir: String) throws(FileError) {
        try write(services, to: servicesPath(stateDir), stateDir: stateDir)
    }

    /// Empty when there is none yet, or when it is unreadable (the page then starts a new history).
    public static func load(stateDir: String) -> [HistoryEntry] { read(path(stateDir)) }

    /// Puts `entry` first and drops what falls past the bound; returns the history as saved. An entry that
    /// says nothing new (a timer tick on a gateway in sync) folds into the newest one, so the history keeps
    /// what happened rather than fifty identical ticks.
    @discardableResult
    public static func append(_ entry: HistoryEntry, stateDir: String) throws(FileError) -> [HistoryEntry] {
        let history = HistoryFolding.folded(entry, into: load(stateDir: stateDir), limit: maxEntries)
        try write(history, to: path(stateDir), stateDir: stateDir)
        return history
    }

    /// A list from `file`; empty when it is missing or unreadable.
    static func read<Element: Decodable>(_ file: String) -> [Element] {
        guard let bytes = LiveFileReader.readStateFile(file) else { return [] }
        return (try? JSONDecoder().decode([Element].self, from: Data(bytes))) ?? []
    }

    /// `list` as JSON, atomically, private to the state dir's owner.
    static func write<Element: Encodable>(_ list: [Element], to file: String, stateDir: String) throws(FileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array((try? encoder.encode(list)) ?? Data("[]".utf8)) + [UInt8(ascii: "\n")]
        try Directories.create(stateDir)
        try AtomicFileWriter.write(bytes, to: file, newFileMode: 0o600)
    }
}
