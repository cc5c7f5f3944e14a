import EssentialsExtras
import FoundationEssentials

/// Home Assistant's own way to change its http settings (2026.8+, with an access token):
/// `http/config/configure` with the whole config → Home Assistant restarts into that trial → probe through
/// Caddy → `http/config/promote` within the window. A failed probe is not promoted: Home Assistant
/// reverts to `stable` by itself after the window (and marks that pending `not_promoted`). The apply runs
/// these steps as actions of its program, through `HomeAssistantTrialSession`.
public struct HomeAssistantTrial: Sendable {
    public var address: String
    public var port: Int
    /// The access token (read from a file by `HomeAssistantToken`); never printed.
    public var token: String
    /// Waits for Home Assistant to answer again after the restart into the trial.
    public var readiness: HomeAssistantReadiness
    /// Home Assistant reverts an unpromoted trial after 5 minutes: promote well before.
    public var window: Duration
    public var requestTimeout: Double

    public init(address: String = "127.0.0.1", port: Int = 8123, token: String, readiness: HomeAssistantReadiness = HomeAssistantReadiness(),
                window: Duration = .seconds(240), requestTimeout: Double = 10) {
        self.address = address
        self.port = port
        self.token = token
        self.readiness = readiness
        self.window = window
        self.requestTimeout = requestTimeout
    }

    /// The keys Home Assistant keeps next to a config in storage; never part of what is sent.
    public static let metadataKeys = ["created_at", "error", "error_message"]

    /// `http/config/configure` with `config` (its metadata stripped), then until Home Assistant runs that
    /// trial. nil when it does, else why not (it came back on `stable`, or not at all).
    public func configure(config: [String: JSONValue]) throws(HomeAssistantWebSocketError) -> String? {
        var clean = config
        for key in Self.metadataKeys { clean.removeValue(forKey: key) }
        let result = try connect().command("http/config/configure", ["config": .object(clean)])
        guard result?["restart"]?.bool ?? false else { return nil }
        return waitForTrial()
    }

    /// `http/config/promote`: the trial becomes `stable`.
    public func promote() throws(HomeAssistantWebSocketError) {
        _ = try connect().command("http/config/promote")
    }

    /// Until Home Assistant answers again and says it runs the trial (`active_config_type: pending`): the
    /// instance that took the command may still answer for a moment, and a trial that could not start
    /// comes back on `stable` with the pending's `error` set. nil when the trial runs, else why not.
    private func waitForTrial() -> String? {
        let deadline = ContinuousClock.now + readiness.timeout
        var last = "no answer"
        while true {
            do {
                let state = try connect().command("http/config")
                if state?["active_config_type"]?.string == "pending" { return nil }
                if let error = state?["pending"]?["error"]?.string {
                    return "Home Assistant did not start the trial config (error: \(error))"
                }
                last = "it runs \(state?["active_config_type"]?.string ?? "an unknown config")"
            } catch {
                last = error.reason
            }
            guard ContinuousClock.now + readiness.interval < deadline else {
                return "Home Assistant did not come back on the trial config within \(readiness.timeout) (last: \(last))"
            }
            Threads.sleep(seconds: HomeAssistantReadiness.seconds(readiness.interval))
        }
    }

    private func connect() throws(HomeAssistantWebSocketError) -> HomeAssistantWebSocket {
        try HomeAssistantWebSocket(address: address, port: port, token: token, timeout: requestTimeout)
    }
}

/// The access token, from a file (never the command line, where `ps` shows it): its first line.
public enum HomeAssistantToken {
    /// The token file's first line; the file must be private to its owner (`SecretFile`).
    public static func read(file: String) throws(HomeAssistantWebSocketError) -> String {
        do {
            return try SecretFile.firstLine(file, what: "the Home Assistant token file")
        } catch {
            throw HomeAssistantWebSocketError(endpoint: file, reason: error.reasonWithAdvice)
        }
    }
}
