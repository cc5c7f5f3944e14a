/// One line of the plan: what changes, for which service and host, why, and what it costs.
/// Every fact a report or an apply needs is a typed field; `summary` and `reason` are for people only.
public struct PlannedChange: Sendable, Encodable, Hashable {
    public enum Kind: String, Sendable, Encodable, Hashable, CaseIterable {
        case add, change, remove
        /// A managed block was edited by hand: the declared one is put back.
        case restoreDrift = "restore_drift"
        /// A hand-written block becomes managed, as it is.
        case adopt

        public var symbol: String {
            switch self {
            case .add: return "+"
            case .change, .restoreDrift: return "~"
            case .remove: return "-"
            case .adopt: return "="
            }
        }
    }

    /// How a change moves the boundary between the internet and the home network.
    public enum Exposure: String, Sendable, Encodable, Hashable {
        case becomesPublic = "becomes_public"
        case stopsBeingPublic = "stops_being_public"
    }

    public var kind: Kind
    /// What the line names: the site's service, the compose service, or the setting.
    public var subject: String
    /// The declared service (a key of `services:` in the desired state) this change is for, if any.
    public var service: String?
    /// The compose service this change is for (Compose changes).
    public var composeService: String?
    /// The public host concerned (`jellyfin.example.org`), for site changes.
    public var host: String?
    public var summary: String
    public var reason: String
    public var exposure: Exposure?
    /// Services or containers this change restarts or recreates.
    public var restarts: [String]
    /// Lines of the live file this change replaces.
    public var lines: LineRange?

    public init(kind: Kind, subject: String, service: String? = nil, composeService: String? = nil, host: String? = nil,
                summary: String, reason: String, exposure: Exposure? = nil, restarts: [String] = [], lines: LineRange? = nil) {
        self.kind = kind
        self.subject = subject
        self.service = service
        self.composeService = composeService
        self.host = host
        self.summary = summary
        self.reason = reason
        self.exposure = exposure
        self.restarts = restarts
        self.lines = lines
    }

    public var becomesPublic: Bool { exposure == .becomesPublic }

    enum CodingKeys: String, CodingKey {
        case kind, subject, service, host, summary, reason, exposure, restarts, lines
        case composeService = "compose_service"
    }
}

/// Lines `first` through `last` of a file, 1-based and inclusive.
public struct LineRange: Sendable, Encodable, Hashable, CustomStringConvertible {
    public var first: Int
    public var last: Int

    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    public init(line: Int) { self.init(first: line, last: line) }
    public init(_ range: ClosedRange<Int>) { self.init(first: range.lowerBound, last: range.upperBound) }

    public var description: String { first == last ? "\(first)" : "\(first)-\(last)" }
}
