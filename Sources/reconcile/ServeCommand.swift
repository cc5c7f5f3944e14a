import Adapters
import ArgumentParser
import Controller
import Daemon
import Foundation
import Logging
import Planner
import Webhooks

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Reconcile on a timer and on webhooks, one at a time, until SIGTERM.",
        discussion: """
            Runs `apply` once at start, then every --interval (plus up to --jitter), and whenever a signed push webhook
            arrives (GitHub, Gitea, Forgejo, GitLab, or the generic X-Reconcile-Signature of deploy/post-receive). Bursts
            coalesce: reconciles start at least --burst-window apart, and the triggers in between cause one more, which
            fetches after the last of them.
            The payload only wakes the loop; the repo is fetched by reconcile itself. Also serves GET /healthz and
            GET /metrics (Prometheus). SIGTERM or SIGINT lets a running reconcile finish, then exits 0.
            The serve: mapping of --config holds the same settings (listen, webhook_path, webhook_secret_file,
            webhook_host, webhook_upstream, interval, jitter, burst_window, max_body, log_format).
            """)

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var runtime: RuntimeOptions

    @Option(help: ArgumentHelp("Where the HTTP endpoints listen (default: \(ServeFileSettings.defaultListen)).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("webhook-path"), help: ArgumentHelp("The webhook's path (default: \(ServeFileSettings.defaultWebhookPath)).", valueName: "path"))
    var webhookPath: String?

    @Option(name: .customLong("webhook-secret-file"), help: ArgumentHelp("The shared webhook secret, one per line (several allow a rotation). Without it the webhook is off and only the timer runs.", valueName: "file"))
    var webhookSecretFile: String?

    @Option(name: .customLong("webhook-host"), help: ArgumentHelp("The public host Caddy routes to the webhook: any plan that would stop routing it is refused.", valueName: "host"))
    var webhookHost: String?

    @Option(name: .customLong("webhook-upstream"), help: ArgumentHelp("How Caddy reaches the webhook, as written after reverse_proxy (default: --listen).", valueName: "host:port"))
    var webhookUpstream: String?

    @Option(help: ArgumentHelp("Time between timer reconciles: 300, 300s, 5m, 1h (default: 5m).", valueName: "duration"))
    var interval: String?

    @Option(help: ArgumentHelp("Random extra delay added to each interval (default: 30s).", valueName: "duration"))
    var jitter: String?

    @Option(name: .customLong("burst-window"), help: ArgumentHelp("Reconciles start at least this far apart; triggers in between fold into one more, run after them (default: 1s).", valueName: "duration"))
    var burstWindow: String?

    @Option(name: .customLong("max-body"), help: ArgumentHelp("Largest webhook body accepted, in bytes (default: \(WebhookSettings.defaultMaxBodyBytes)).", valueName: "bytes"))
    var maxBody: Int?

    @Option(name: .customLong("log-format"), help: ArgumentHelp("text or json (one object per line on standard error) (default: text).", valueName: "format"))
    var logFormat: LogFormat?

    @Flag(name: .customLong("no-publish-status"), help: "Remote repo: keep the status report in the state dir only; push nothing.")
    var noPublishStatus = false

    @Option(name: .customLong("lock-timeout"), help: "Seconds a reconcile waits for a CLI run holding the lock before it counts as failed (default: 300).")
    var lockTimeout: Double = 300

    func run() async throws {
        let daemon: Daemon
        let logger: Logger
        do {
            (daemon, logger) = try configure()
        } catch {
            report(error)
            throw ReconcileExit.failure
        }
        do {
            try await daemon.run(logger: logger)
        } catch {
            printError("error: reconcile serve on \(daemon.host):\(daemon.port) stopped: \(error)")
            throw ReconcileExit.failure
        }
    }

    /// These options as the `serve:` layer of settings (see `GatewayOptions.layer`).
    var layer: SettingsFile {
        var serve = ServeFileSettings()
        (serve.listen, serve.webhookPath, serve.webhookSecretFile, serve.webhookHost, serve.webhookUpstream)
            = (listen, webhookPath, webhookSecretFile, webhookHost, webhookUpstream)
        (serve.interval, serve.jitter, serve.burstWindow, serve.maxBody, serve.logFormat) = (interval, jitter, burstWindow, maxBody, logFormat)
        var layer = runtime.layer
        layer.serve = serve
        return layer
    }

    func configure() throws(ReconcileError) -> (Daemon, Logger) {
        let resolved = try gateway.resolve(layer, engine: runtime.engine)
        let serve = resolved.serve
        let settings = resolved.reconcile
        let runtimeSettings = resolved.runtime

        let listenText = serve.listen ?? ServeFileSettings.defaultListen
        guard let colon = listenText.lastIndex(of: ":"), let port = Int(listenText[listenText.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw problem("--listen", "'\(listenText)' is not HOST:PORT", hint: "e.g. 127.0.0.1:9797")
        }
        let host = String(listenText[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let path = serve.webhookPath ?? ServeFileSettings.defaultWebhookPath
        guard path.hasPrefix("/"), path != "/healthz", path != "/metrics" else {
            throw problem("--webhook-path", "'\(path)' must start with / and not be /healthz or /metrics")
        }

        let schedule = TimerSchedule(interval: try duration(serve.interval, option: "--interval", default: TimerSchedule.standard.interval),
                                     jitter: try duration(serve.jitter, option: "--jitter", default: TimerSchedule.standard.jitter))
        guard schedule.interval >= .milliseconds(100) else { throw problem("--interval", "must be at least 100ms") }

        var webhook: WebhookSettings?
        if let secretFile = serve.webhookSecretFile {
            let bytes: [UInt8]?
            do { bytes = try LiveFileReader.read(secretFile, maxBytes: 64 << 10) } catch { throw .failed(.unreadableLiveFile, error.description) }
            guard let bytes else { throw problem(secretFile, "the webhook secret file does not exist") }
            guard let secrets = WebhookSettings.secrets(fromFile: bytes) else {
                throw problem(secretFile, "the webhook secret file holds no secret", hint: "one secret per line, e.g. from `openssl rand -hex 32`")
            }
            webhook = WebhookSettings(secrets: secrets, maxBodyBytes: serve.maxBody ?? WebhookSettings.defaultMaxBodyBytes,
                                      branch: settings.remote?.branch, statusBranch: settings.statusBranch)
        }

        let format = resolved.logFormat
        let logger = Logger(label: "reconcile") { label in
            if format == .json { return JSONLogHandler(label: label) }
            return StreamLogHandler.standardError(label: label)
        }

        let options = ReconcileCycle.Options(mode: .apply(runtimeSettings), report: true, publish: !noPublishStatus)
        let daemon = Daemon(host: host, port: port, webhookPath: path, webhook: webhook, schedule: schedule,
                            burstWindow: try duration(serve.burstWindow, option: "--burst-window", default: .seconds(1)), runner: CycleRunner(settings: settings, options: options, lockTimeout: lockTimeout))
        var configured = daemon
        configured.statusPage = serve.statusPage ?? .direct
        return (configured, logger)
    }

    func duration(_ text: String?, option: String, default value: Duration) throws(ReconcileError) -> Duration {
        guard let text else { return value }
        guard let parsed = DurationText.parse(text) else { throw problem(option, "'\(text)' is not a duration", hint: "e.g. 300, 30s, 5m, 1h") }
        return parsed
    }
}
