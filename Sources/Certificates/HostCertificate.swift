/// How one exposed host stands with its certificate, and what that rests on. A value: the plan, the
/// status report, the page and the metrics render it.
public struct HostCertificate: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Exposed too recently for Caddy to have one yet (or not exposed yet).
        case notIssued = "not_issued"
        case valid
        /// Valid, and inside the window where Caddy renews it.
        case renewing
        case expired
        /// No certificate long after exposure, a served certificate that does not fit the host, or Caddy
        /// logging that it cannot get one.
        case failing
        /// Caddy's storage could not be read for the host (missing, a link, a folder where a file should be):
        /// nothing is said of the certificate, and nothing alerts on it.
        case unknown

        public var title: String {
            switch self {
            case .notIssued: return "not issued yet"
            case .valid: return "valid"
            case .renewing: return "renewing"
            case .expired: return "expired"
            case .failing: return "failing"
            case .unknown: return "unknown (storage not read)"
            }
        }
    }

    public var host: String
    public var state: State
    /// The certificate found in Caddy's storage, if any.
    public var stored: StoredCertificate?
    /// Whole days until `stored` expires (negative once expired).
    public var daysLeft: Int?
    /// What the state rests on, most telling first.
    public var evidence: [CertificateEvidence]

    public init(host: String, state: State, stored: StoredCertificate? = nil, daysLeft: Int? = nil, evidence: [CertificateEvidence]) {
        self.host = host
        self.state = state
        self.stored = stored
        self.daysLeft = daysLeft
        self.evidence = evidence
    }

    enum CodingKeys: String, CodingKey {
        case host, state, stored, evidence
        case daysLeft = "days_left"
    }
}

/// A certificate as Caddy keeps it: `caddy/certificates/<issuer>/<host>/<host>.crt` (and `.json`).
public struct StoredCertificate: Sendable, Hashable, Codable {
    /// The issuer folder: the CA's directory URL made a file name, or `local` for Caddy's own CA.
    public var issuerFolder: String
    /// The `.crt` file, relative to Caddy's data directory.
    public var path: String
    public var facts: CertificateFacts
    /// The start of the renewal window the CA suggested (ACME renewal info), if it did.
    public var suggestedRenewalStart: Int64?

    public init(issuerFolder: String, path: String, facts: CertificateFacts, suggestedRenewalStart: Int64? = nil) {
        self.issuerFolder = issuerFolder
        self.path = path
        self.facts = facts
        self.suggestedRenewalStart = suggestedRenewalStart
    }

    enum CodingKeys: String, CodingKey {
        case path, facts
        case issuerFolder = "issuer_folder"
        case suggestedRenewalStart = "suggested_renewal_start"
    }

    /// When Caddy starts renewing: the CA's suggestion, else the last third of the lifetime.
    public var renewalStart: Int64 { suggestedRenewalStart ?? facts.defaultRenewalStart }
}

/// One fact a host's certificate state rests on.
public enum CertificateEvidence: Sendable, Hashable, Codable {
    /// Found in Caddy's storage at this path (relative to its data directory).
    case stored(path: String)
    /// Nothing in Caddy's storage for the host.
    case noneStored
    /// Exposed since this time (Unix seconds); with no certificate past the grace Caddy gets, failing.
    case exposedSince(Int64)
    /// What the probe through Caddy was served: whether it covers the host, its serial.
    case served(coversHost: Bool, serial: String, notAfter: Int64)
    /// A line of Caddy's own log about this host (trimmed).
    case caddyLog(String)
    /// Caddy's storage could not be read for this host (a link, a huge file, a folder where a file should be).
    case storageProblem(String)

    enum CodingKeys: String, CodingKey { case kind, path, at, coversHost = "covers_host", serial, notAfter = "not_after", message }

    /// `{"kind": "stored", "path": …}`: one flat object per fact, keys as the rest of the JSON spells them.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .stored(let path): try container.encode("stored", forKey: .kind); try container.encode(path, forKey: .path)
        case .noneStored: try container.encode("none_stored", forKey: .kind)
        case .exposedSince(let at): try container.encode("exposed_since", forKey: .kind); try container.encode(at, forKey: .at)
        case .served(let covers, let serial, let notAfter):
            try container.encode("served", forKey: .kind)
            try container.encode(covers, forKey: .coversHost)
            try container.encode(serial, forKey: .serial)
            try container.encode(notAfter, forKey: .notAfter)
        case .caddyLog(let line): try container.encode("caddy_log", forKey: .kind); try container.encode(line, forKey: .message)
        case .storageProblem(let problem): try container.encode("storage_problem", forKey: .kind); try container.encode(problem, forKey: .message)
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .kind) {
        case "stored": self = .stored(path: try container.decode(String.self, forKey: .path))
        case "none_stored": self = .noneStored
        case "exposed_since": self = .exposedSince(try container.decode(Int64.self, forKey: .at))
        case "served":
            self = .served(coversHost: try container.decode(Bool.self, forKey: .coversHost), serial: try container.decode(String.self, forKey: .serial),
                           notAfter: try container.decode(Int64.self, forKey: .notAfter))
        case "caddy_log": self = .caddyLog(try container.decode(String.self, forKey: .message))
        case "storage_problem": self = .storageProblem(try container.decode(String.self, forKey: .message))
        case let kind: throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown evidence '\(kind)'")
        }
    }

    /// In words; `time` writes a Unix time the way the caller's output does.
    public func text(time: (Int64) -> String) -> String {
        switch self {
        case .stored(let path): return "in Caddy's storage: \(path)"
        case .noneStored: return "no certificate in Caddy's storage"
        case .exposedSince(let seconds): return "exposed since \(time(seconds))"
        case .served(let covers, let serial, _):
            return covers ? "the probe was served it (serial \(serial.prefix(16)))" : "the probe was served a certificate that does not cover the host (serial \(serial.prefix(16)))"
        case .caddyLog(let line): return "Caddy's log: \(line)"
        case .storageProblem(let problem): return "Caddy's storage: \(problem)"
        }
    }
}

