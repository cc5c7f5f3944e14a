/// What the clients of `reconcile serve`'s HTTP listener may hold. Forges, Caddy, Prometheus and a phone
/// send a whole request at once; anything slower is a stuck or hostile client, and must not keep the
/// descriptors the reconciles need (git packs, Caddy, subprocesses) nor the places of other clients.
public enum ServeHTTPLimits {
    /// Connections held at once. At the bound a new one closes the oldest that is not being answered, so
    /// a flood of idle connections cannot keep `/healthz` or a webhook out.
    public static let maxConnections = 64
    /// A connection with no complete request for this long is closed: before its first request, between
    /// two (keep-alive), or while a request head arrives half-sent.
    public static let idleTimeout: Duration = .seconds(15)
    /// A request must be read whole (head to the end of its body) within this long, however its bytes trickle.
    public static let requestTimeout: Duration = .seconds(20)
}
