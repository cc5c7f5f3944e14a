import Adapters
import ArgumentParser
import Controller
import Daemon
import FoundationEssentials
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

    @Option(name: .customLong("webhook-secret-file"), help: ArgumentHelp("The shared webhook secret (mode 0600, 16 to 1024 bytes), one per line (several allow a rotation). Without it the webhook is off and only the timer runs.", valueName: "file"))
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
        let options = ReconcileCycle.Options(mode: .apply(resolved.runtime), report: true, publish: !noPublishStatus)
        let daemon = try Daemon.configured(resolved.serve, runner: CycleRunner(settings: resolved.reconcile, options: options, lockTimeout: lockTimeout))
        let format = resolved.logFormat
        let logger = Logger(label: "reconcile") { label in
            if format == .json { return JSONLogHandler(label: label) }
            return StreamLogHandler.standardError(label: label)
        }
        return (daemon, logger)
    }
}
