import Adapters
import Controller
import EssentialsExtras
import FoundationEssentials
import Webhooks

extension Daemon {
    /// The daemon for `serve`: the `serve:` settings (`reconcile serve`'s options over the settings file's
    /// mapping, see `SettingsFile.over`) with their defaults, checked. Throws `.invalidSettings` naming the option.
    public static func configured(_ serve: ServeFileSettings, runner: CycleRunner) throws(ReconcileError) -> Daemon {
        let listen = serve.listen ?? ServeFileSettings.defaultListen
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw .setting("--listen", "'\(listen)' is not HOST:PORT", hint: "e.g. 127.0.0.1:9797")
        }
        let host = listen[..<colon].trimmingScalars(where: { $0 == "[" || $0 == "]" })
        let path = serve.webhookPath ?? ServeFileSettings.defaultWebhookPath
        guard path.hasPrefix("/"), path != "/healthz", path != "/metrics" else {
            throw .setting("--webhook-path", "'\(path)' must start with / and not be /healthz or /metrics")
        }
        let schedule = TimerSchedule(interval: try duration(serve.interval, option: "--interval", default: TimerSchedule.standard.interval),
                                     jitter: try duration(serve.jitter, option: "--jitter", default: TimerSchedule.standard.jitter))
        guard schedule.interval >= .milliseconds(100) else { throw .setting("--interval", "must be at least 100ms") }

        var webhook: WebhookSettings?
        if let secretFile = serve.webhookSecretFile {
            let bytes: [UInt8]
            do {
                bytes = try SecretFile.read(secretFile, what: "the webhook secret file")
            } catch {
                throw .setting("--webhook-secret-file", "\(secretFile): \(error.reason)", hint: error.advice)
            }
            guard let secrets = WebhookSettings.secrets(fromFile: bytes) else {
                throw .setting(secretFile, "the webhook secret file holds no secret", hint: "one secret per line, e.g. from `openssl rand -hex 32`")
            }
            if let problem = secrets.lazy.compactMap(WebhookSettings.problem(with:)).first {
                throw .setting(secretFile, problem, hint: "one secret per line, e.g. from `openssl rand -hex 32`")
            }
            webhook = WebhookSettings(secrets: secrets, maxBodyBytes: serve.maxBody ?? WebhookSettings.defaultMaxBodyBytes,
                                      branch: runner.settings.remote?.branch, statusBranch: runner.settings.statusBranch)
        }
        var daemon = Daemon(host: host, port: port, webhookPath: path, webhook: webhook, schedule: schedule,
                            burstWindow: try duration(serve.burstWindow, option: "--burst-window", default: .seconds(1)), runner: runner)
        daemon.statusPage = serve.statusPage ?? .direct
        return daemon
    }

    static func duration(_ text: String?, option: String, default value: Duration) throws(ReconcileError) -> Duration {
        guard let text else { return value }
        guard let parsed = DurationText.parse(text) else { throw .setting(option, "'\(text)' is not a duration", hint: "e.g. 300, 30s, 5m, 1h") }
        return parsed
    }
}
