import Certificates

/// How reconcile checks that each exposed host really reaches its service through Caddy.
public struct ProbeSettings: Sendable, Hashable {
    public enum Scheme: String, Sendable, Hashable, Codable { case http, https }

    /// Where Caddy listens, as seen from the gateway (the site's name goes in Host/SNI).
    public var address: String
    public var port: Int
    public var scheme: Scheme
    /// Seconds for one request.
    public var timeout: Double
    /// Attempts per host before the probe fails, and the pause between them.
    public var attempts: Int
    public var interval: Double

    public init(address: String = "127.0.0.1", port: Int = 443, scheme: Scheme = .https,
                timeout: Double = 5, attempts: Int = 10, interval: Double = 1) {
        self.address = address
        self.port = port
        self.scheme = scheme
        self.timeout = timeout
        self.attempts = attempts
        self.interval = interval
    }
}

/// One host's answer through Caddy.
public struct ProbeResult: Sendable, Hashable, Codable {
    public var host: String
    /// The HTTP status, or nil when nothing answered.
    public var status: Int?
    public var passed: Bool
    public var detail: String
    public var attempts: Int
    /// The leaf certificate Caddy served (HTTPS probes), when it could be read.
    public var served: CertificateFacts?

    public init(host: String, status: Int?, passed: Bool, detail: String, attempts: Int) {
        self.host = host
        self.status = status
        self.passed = passed
        self.detail = detail
        self.attempts = attempts
    }
}
