/// How a service's `depends_on` is written.
public enum ComposeDependencyForm: String, Codable, Sendable, Hashable {
    /// A list of names: `depends_on: [db]` or a block list of `- db`.
    case short
    /// A map of name to options: `depends_on: {db: {condition: service_started}}`, block or flow.
    case long
}

/// One `depends_on` entry reconcile adds, removes or adopts, for the plan.
public struct ComposeDependencyChange: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `adopted`: the user wrote the entry; with the opt-in it goes into the ledger (so prune will
    /// remove it) and the file does not change.
    public enum Action: String, Codable, Sendable, Hashable { case added, removed, adopted }

    public var service: String
    public var dependency: String
    public var action: Action
    public var form: ComposeDependencyForm
    /// True when the whole `depends_on` key is created (added) or deleted (removed, it held only this entry).
    public var wholeKey: Bool
    /// 1-based line: in the edited file for an addition, in the original file for a removal or an adoption.
    public var line: Int

    public init(service: String, dependency: String, action: Action, form: ComposeDependencyForm, wholeKey: Bool, line: Int) {
        self.service = service
        self.dependency = dependency
        self.action = action
        self.form = form
        self.wholeKey = wholeKey
        self.line = line
    }

    public var description: String {
        if action == .adopted {
            return "\(service): adopt \(dependency) in depends_on, \(form.rawValue) form, line \(line) (written by hand; prune will remove it)"
        }
        let verb = action == .added ? "add" : "remove"
        let preposition = action == .added ? "to" : "from"
        let key = wholeKey ? (action == .added ? " (new key)" : " (the key goes: it held only this entry)") : ""
        return "\(service): \(verb) \(dependency) \(preposition) depends_on, \(form.rawValue) form\(key), line \(line)"
    }
}
