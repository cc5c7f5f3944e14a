import Diagnostics

/// A plan-time warning: what kind it is, where (file:line:column), and which services it concerns, so
/// renderings can group a thousand of the same kind into one line.
public struct PlanWarning: Sendable, Encodable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Encodable, Hashable {
        case noCertificate = "no_certificate"
        case upstreamIsAdminAPI = "upstream_is_admin_api"
        case proxyLoop = "proxy_loop"
        case openToInternet = "open_to_internet"
        case fileMissing = "file_missing"
        case orphanMarker = "orphan_marker"
        case webhookNotRouted = "webhook_not_routed"
        case homeAssistant = "home_assistant"
        case untrustedProxy = "untrusted_proxy"
        case engineNotRead = "engine_not_read"
        case runtimeDrift = "runtime_drift"
        /// The containers were created by the other Compose major than the one that would run (issue #24).
        case composeMajorMismatch = "compose_major_mismatch"
        /// Something written by hand that `--adopt` would hand to reconcile (kept as the user's until then).
        case adoptable
    }

    public var code: Code
    public var diagnostic: Diagnostic
    /// The declared services it is about (empty when it is about a file or the engine).
    public var services: [String]

    public init(_ code: Code, _ diagnostic: Diagnostic, services: [String] = []) {
        self.code = code
        self.diagnostic = diagnostic
        self.services = services
    }

    public init(_ code: Code, file: String, position: SourcePosition? = nil, services: [String] = [], _ message: String,
                hint: String? = nil) {
        self.init(code, Diagnostic(file: file, position: position, message: message, hint: hint), services: services)
    }

    public var message: String { diagnostic.message }
    public var description: String { diagnostic.description }

    enum CodingKeys: String, CodingKey {
        case code, file, line, column, message, hint, services
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(diagnostic.file, forKey: .file)
        try container.encodeIfPresent(diagnostic.position?.line, forKey: .line)
        try container.encodeIfPresent(diagnostic.position?.column, forKey: .column)
        try container.encode(diagnostic.message, forKey: .message)
        try container.encodeIfPresent(diagnostic.hint, forKey: .hint)
        if !services.isEmpty { try container.encode(services, forKey: .services) }
    }
}
