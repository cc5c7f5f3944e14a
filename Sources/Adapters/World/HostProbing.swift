/// Asking each exposed host through Caddy whether it answers as it should. Implementations: `Prober`
/// (HTTP through Caddy); tests use `HostProbeDouble`.
public protocol HostProbing: Sendable {
    /// `maintenance`: the host is meant to answer 503, and only that passes.
    func probe(host: String, isHomeAssistant: Bool, maintenance: Bool) -> ProbeResult
}

extension Prober: HostProbing {}
