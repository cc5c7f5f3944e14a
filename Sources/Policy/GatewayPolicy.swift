import Diagnostics

/// Rules set on the gateway itself (a file outside the exposure repo), so no commit can lift them.
/// Every rule remembers where it is written, for the message that cites it.
public struct GatewayPolicy: Sendable, Hashable {
    /// The policy file, as messages name it.
    public var file: String
    /// Services (by name or compose service) that must never be published.
    public var neverExpose: [Rule<String>] = []
    /// Upstream ports that must never be published.
    public var forbiddenUpstreamPorts: [Rule<Int>] = []
    /// Services that need `basic_auth` (`*`: every service).
    public var requireAuth: [Rule<String>] = []
    /// Services that need `access: lan` (or networks inside the LAN ranges).
    public var requireLAN: [Rule<String>] = []
    /// Services that need one of the two.
    public var requireAuthOrLAN: [Rule<String>] = []
    /// At most this many hosts in the Caddyfile.
    public var maxExposedHosts: Rule<Int>?

    public init(file: String) {
        self.file = file
    }

    /// No rule at all (an absent default file).
    public var isEmpty: Bool {
        neverExpose.isEmpty && forbiddenUpstreamPorts.isEmpty && requireAuth.isEmpty && requireLAN.isEmpty
            && requireAuthOrLAN.isEmpty && maxExposedHosts == nil
    }

    /// One value of a rule and where the policy file says it.
    public struct Rule<Value: Sendable & Hashable>: Sendable, Hashable {
        public var value: Value
        public var position: SourcePosition

        public init(_ value: Value, at position: SourcePosition) {
            self.value = value
            self.position = position
        }
    }

    public static let keys = ["version", "never_expose", "forbidden_upstream_ports", "require_auth", "require_lan",
                              "require_auth_or_lan", "max_exposed_hosts"]
}
