import Adapters
import Controller
import Diagnostics
import Foundation
import Planner
import TestSupportCore

/// The order in which the in-memory doubles were called, shared by all of them, and the calls that
/// must fail. An entry is `"caddy.load"`, `"file.write /path"`, `"ha.stop"`, `"compose.up caddy"`,
/// `"probe media.example.com"`…; `fail(_:occurrence:)` makes the n-th call with that entry throw.
public final class WorldJournal: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    private var failures: [String: Int] = [:]

    public init() {}

    public var entries: [String] { lock.withLock { recorded } }

    /// The `occurrence`-th call recorded as `entry` fails (1: the first).
    public func fail(_ entry: String, occurrence: Int = 1) { lock.withLock { failures[entry] = occurrence } }

    /// Records a call; true when it must fail.
    public func record(_ entry: String) -> Bool {
        lock.withLock {
            recorded.append(entry)
            return failures[entry] == recorded.filter { $0 == entry }.count
        }
    }
}

/// Caddy, in memory: the config it runs, and the same answers the admin API gives.
public final class InMemoryCaddyDouble: CaddyActivating, @unchecked Sendable {
    let journal: WorldJournal
    private let lock = NSLock()
    private var config: [UInt8]?

    public init(journal: WorldJournal, running: [UInt8]?) {
        self.journal = journal
        self.config = running
    }

    public var running: [UInt8]? { lock.withLock { config } }
    public var description: String { "an in-memory Caddy double" }

    public func validate(_ content: [UInt8]) throws(CaddyError) {
        if journal.record("caddy.validate") { throw .rejected("the double rejects this config") }
    }

    public func load(_ content: [UInt8]) throws(CaddyError) {
        if journal.record("caddy.load") { throw .rejected("the double rejects this config") }
        lock.withLock { config = content }
    }
}

/// Compose, in memory: which services were brought up, in order.
public final class InMemoryComposeDouble: ComposeEngine, @unchecked Sendable {
    let journal: WorldJournal

    public init(journal: WorldJournal) { self.journal = journal }

    public var description: String { "an in-memory Compose double" }

    public func validate(fileBytes: [UInt8]) throws(ComposeRuntimeError) {
        if journal.record("compose.validate") {
            throw ComposeRuntimeError(kind: .fileRejected, command: ["compose", "config", "-q"], exitStatus: 1, stderr: "rejected by the double")
        }
    }

    public func up(services: [String]) throws(ComposeRuntimeError) {
        if journal.record("compose.up " + services.joined(separator: " ")) {
            throw ComposeRuntimeError(kind: .commandFailed, command: ["compose", "up"] + services, exitStatus: 1, stderr: "failed by the double")
        }
    }
}

/// Home Assistant, in memory: whether it runs. Starting one that runs, or stopping one that does not,
/// is a failure of the test (the transaction's order is wrong), recorded as `wrongState`.
public final class InMemoryHomeAssistantDouble: HomeAssistantControlling, @unchecked Sendable {
    let journal: WorldJournal
    private let lock = NSLock()
    private var isRunning = true
    private var mistakes: [String] = []

    public init(journal: WorldJournal) { self.journal = journal }

    public var running: Bool { lock.withLock { isRunning } }
    /// Calls made in a state where they make no sense (start while running, stop while stopped).
    public var wrongState: [String] { lock.withLock { mistakes } }

    private func transition(_ entry: String, from: Bool?, to: Bool) throws(HomeAssistantControlError) {
        let fails = journal.record(entry)
        lock.withLock {
            if let from, isRunning != from { mistakes.append(entry) }
            // A failed stop leaves it up; a failed start or restart ran but never answered: it is up, not ready.
            if !fails || to { isRunning = to }
        }
        if fails {
            throw HomeAssistantControlError(kind: .notReady, command: ["double"], context: "the double fails \(entry)")
        }
    }

    public func stopHomeAssistant() throws(HomeAssistantControlError) { try transition("ha.stop", from: true, to: false) }
    public func startHomeAssistant() throws(HomeAssistantControlError) { try transition("ha.start", from: false, to: true) }
    public func restartHomeAssistant() throws(HomeAssistantControlError) { try transition("ha.restart", from: true, to: true) }
}

/// The live files, in memory.
public final class InMemoryFileStoreDouble: FileStore, @unchecked Sendable {
    let journal: WorldJournal
    private let lock = NSLock()
    private var files: [String: [UInt8]]
    private var kept: [String] = []

    public init(journal: WorldJournal, files: [String: [UInt8]]) {
        self.journal = journal
        self.files = files
    }

    public var contents: [String: [UInt8]] { lock.withLock { files } }
    public var backups: [String] { lock.withLock { kept } }
    private var backedUp: [(path: String, content: [UInt8])] = []
    /// What each backup held, in order.
    public func backedUpContents(of path: String) -> [[UInt8]] { lock.withLock { backedUp.filter { $0.path == path }.map(\.content) } }
    public var backupLocation: String { "the double's backups" }

    private func failure(_ entry: String, _ path: String) -> FileError? {
        journal.record("\(entry) \(path)") ? FileError(path: path, operation: entry, reason: "failed by the double") : nil
    }

    public func read(_ path: String) throws(FileError) -> [UInt8]? {
        if let error = failure("file.read", path) { throw error }
        return lock.withLock { files[path] }
    }

    public func backUp(_ content: [UInt8], of path: String) throws(FileError) -> String {
        if let error = failure("file.backup", path) { throw error }
        return lock.withLock {
            kept.append(path)
            backedUp.append((path, content))
            return "backup-\(kept.count) of \(path)"
        }
    }

    public func write(_ content: [UInt8], to path: String, expecting expected: ExpectedContent = .anything) throws(FileError) {
        if let error = failure("file.write", path) { throw error }
        try replace(path, with: content, expecting: expected)
    }

    public func remove(_ path: String, expecting expected: ExpectedContent = .anything) throws(FileError) {
        if let error = failure("file.remove", path) { throw error }
        try replace(path, with: nil, expecting: expected)
    }

    /// As the real store: nothing changes when the file holds neither what the plan read nor `content`.
    private func replace(_ path: String, with content: [UInt8]?, expecting expected: ExpectedContent) throws(FileError) {
        let replaced = lock.withLock { () -> Bool in
            if files[path] == content { return true } // a restore that ran already
            switch expected {
            case .anything: break
            case .absent: if files[path] != nil { return false }
            case .bytes(let bytes): if files[path] != bytes { return false }
            }
            files[path] = content
            return true
        }
        if !replaced { throw FileError(path: path, operation: "replace it", reason: "it changed (the double)", kind: .changedSinceRead) }
    }

    public func checkWritable(_ path: String) throws(Diagnostic) {
        if journal.record("file.check \(path)") { throw Diagnostic(file: path, position: nil, message: "not writable (the double)") }
    }
}

/// Probes, in memory: every host passes unless the journal says that probe fails.
public struct HostProbeDouble: HostProbing {
    let journal: WorldJournal

    public init(journal: WorldJournal) { self.journal = journal }

    public func probe(host: String, isHomeAssistant: Bool, maintenance: Bool) -> ProbeResult {
        let fails = journal.record("probe \(host)")
        return ProbeResult(host: host, status: fails ? 502 : (maintenance ? 503 : 200), passed: !fails,
                           detail: fails ? "answered 502 (the double)" : "answered", attempts: 1)
    }
}

/// Home Assistant's own trial, in memory: what was configured, and whether it was promoted.
public final class InMemoryHomeAssistantTrialDouble: HomeAssistantTrialing, @unchecked Sendable {
    let journal: WorldJournal
    private let lock = NSLock()
    private var trials: [[UInt8]] = []
    private var wasPromoted = false

    public init(journal: WorldJournal) { self.journal = journal }

    /// The planned `.storage/http` of each configure, in order.
    public var configured: [[UInt8]] { lock.withLock { trials } }
    public var promoted: Bool { lock.withLock { wasPromoted } }

    public func configureTrial(storage: [UInt8]) throws(HomeAssistantWebSocketError) {
        if journal.record("ha.trial.configure") { throw HomeAssistantWebSocketError(endpoint: "double", reason: "the double fails configure") }
        lock.withLock { trials.append(storage) }
    }

    public func promoteTrial() throws(HomeAssistantWebSocketError) {
        if journal.record("ha.trial.promote") {
            throw HomeAssistantWebSocketError(endpoint: "double", reason: "the double fails promote", code: "not_allowed")
        }
        lock.withLock { wasPromoted = true }
    }
}

/// The ledger file, in memory.
public final class InMemoryLedgerDouble: LedgerKeeping, @unchecked Sendable {
    public let journal: WorldJournal
    public let lock = NSLock()
    public var saved: [Ledger] = []

    public init(journal: WorldJournal) { self.journal = journal }

    public func save(_ ledger: Ledger) throws(ReconcileError) {
        if journal.record("ledger.save") { throw .failed(.stateDirFailed, "the ledger double fails") }
        lock.withLock { saved.append(ledger) }
    }
}

/// A Caddy whose validation takes long enough for a hand edit of a file to land: it writes `edit` to
/// `path` through the file double while it validates.
public struct SlowCaddyDouble: CaddyActivating {
    public let files: InMemoryFileStoreDouble
    public let path: String
    public let edit: [UInt8]
    public var description: String { "a Caddy double that validates slowly" }

    public init(files: InMemoryFileStoreDouble, editing path: String, to edit: [UInt8]) {
        (self.files, self.path, self.edit) = (files, path, edit)
    }

    public func validate(_ content: [UInt8]) throws(CaddyError) {
        try? files.write(edit, to: path, expecting: .anything)
    }

    public func load(_ content: [UInt8]) throws(CaddyError) {}
}
