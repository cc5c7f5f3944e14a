import EssentialsExtras
import FoundationEssentials

/// When Home Assistant counts as up again after a start: its own HTTP server answers a plain GET.
/// Any status below 500 counts (even 401 or 404 comes from Home Assistant's server, which is up);
/// a refused connection, a timeout or a 5xx does not. Polled until `timeout`.
public struct HomeAssistantReadiness: Sendable, Hashable {
    /// Where Home Assistant listens: on the gateway it runs with host networking.
    public var address: String
    public var port: Int
    /// `/manifest.json` is served by the frontend without authentication (no failed-login warning).
    public var path: String
    /// How long Home Assistant may take to answer after the command; a Pi with many integrations needs minutes.
    public var timeout: Duration
    /// Pause between two probes.
    public var interval: Duration
    /// Bound for one probe.
    public var requestTimeout: Duration

    public init(address: String = "127.0.0.1", port: Int = 8123, path: String = "/manifest.json",
                timeout: Duration = .seconds(300), interval: Duration = .seconds(1), requestTimeout: Duration = .seconds(5)) {
        self.address = address
        self.port = port
        self.path = path
        self.timeout = timeout
        self.interval = interval
        self.requestTimeout = requestTimeout
    }

    public var url: String { "http://\(address.contains(":") ? "[\(address)]" : address):\(port)\(path)" }

    /// The answer that ended the wait.
    public struct Answer: Sendable, Hashable {
        public var status: Int
        public var attempts: Int
        public var waited: Duration
    }

    /// Probes until an answer below 500, or throws `notReady` with the last thing seen.
    public func wait(after command: [String] = [], context: String? = nil) throws(HomeAssistantControlError) -> Answer {
        let started = ContinuousClock.now
        let deadline = started + timeout
        var attempts = 0
        var last = "no probe made"
        while true {
            attempts += 1
            let remaining = deadline - ContinuousClock.now
            let request = HTTPRequest(address: address, port: port, path: path,
                                      timeout: max(0.05, Self.seconds(min(requestTimeout, remaining))))
            do {
                let response = try HTTPClient.send(request)
                if response.status < 500 {
                    return Answer(status: response.status, attempts: attempts, waited: ContinuousClock.now - started)
                }
                last = "HTTP \(response.status)"
            } catch {
                last = error.reason
            }
            guard ContinuousClock.now + interval < deadline else { break }
            Threads.sleep(seconds: Self.seconds(interval))
        }
        throw HomeAssistantControlError(kind: .notReady, command: command,
                                        context: (context.map { $0 + ", " } ?? "") + "\(attempts) probes in \(timeout)",
                                        readinessURL: url, lastAnswer: last)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
