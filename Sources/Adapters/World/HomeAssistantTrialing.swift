import EssentialsExtras
import FoundationEssentials

/// Home Assistant's own trial of new http settings (storage mode, with an access token): configure, then
/// (once the probes passed) promote within the window. Implementation: `HomeAssistantTrialSession`
/// (Home Assistant's WebSocket API); tests run it against `HomeAssistantWebSocketDouble`.
public protocol HomeAssistantTrialing: Sendable {
    /// `http/config/configure` with `data.stable` of `storage` (the planned `.storage/http`); returns once
    /// Home Assistant runs that trial.
    func configureTrial(storage: [UInt8]) throws(HomeAssistantWebSocketError)
    /// `http/config/promote`; refused when the window since the configure has passed.
    func promoteTrial() throws(HomeAssistantWebSocketError)
}

/// One apply's trial through the WebSocket API: remembers when it configured, to promote only within the window.
public final class HomeAssistantTrialSession: HomeAssistantTrialing, @unchecked Sendable {
    public let trial: HomeAssistantTrial
    private let lock = Lock()
    private var configuredAt: ContinuousClock.Instant?

    public init(trial: HomeAssistantTrial) { self.trial = trial }

    private var endpoint: String { "\(trial.address):\(trial.port)" }

    public func configureTrial(storage: [UInt8]) throws(HomeAssistantWebSocketError) {
        guard let stable = JSONValue.parse(storage)?["data"]?["stable"]?.object else {
            throw HomeAssistantWebSocketError(endpoint: endpoint, reason: "the planned .storage/http has no data.stable to configure")
        }
        let started = ContinuousClock.now
        if let failure = try trial.configure(config: stable) {
            throw HomeAssistantWebSocketError(endpoint: endpoint, reason: failure)
        }
        lock.withLock { configuredAt = started }
    }

    public func promoteTrial() throws(HomeAssistantWebSocketError) {
        guard let started = lock.withLock({ configuredAt }) else {
            throw HomeAssistantWebSocketError(endpoint: endpoint, reason: "no trial was configured by this apply: nothing to promote")
        }
        guard ContinuousClock.now - started < trial.window else {
            throw HomeAssistantWebSocketError(endpoint: endpoint,
                                              reason: "the probes passed only after \(trial.window): too late to promote before Home Assistant reverts")
        }
        try trial.promote()
    }
}
