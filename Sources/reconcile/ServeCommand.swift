import Adapters
import ArgumentParser
import Controller
import Daemon
import FoundationEssentials
import Logging
import Planner
import Webhooks

struct ServeCommand: AsyncParsableCommand {
    // Plain text: argument-parser reads every subcommand's configuration to find the one named, so naming
    // `ServeFileSettings.table` here would build it for every plan (0.5 ms in a 1,000-service plan).
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Reconcile on a timer and on webhooks, one at a time, until SIGTERM.",
        discussion: """
            Runs `apply` once at start, then every --interval (plus up to --jitter), and whenever a signed push \
            webhook arrives (GitHub, Gitea, Forgejo, GitLab, or the generic X-Reconcile-Signature of \
            deploy/post-receive). Bursts coalesce: reconciles start at least --burst-window apart, and the triggers \
            in between cause one more, which fetches after the last of them. The payload only wakes the loop; the \
            repo is fetched by reconcile itself.

            Also serves, to the gateway's own network only: GET / (the owner's status page: what is exposed, the \
            last reconciles, the certificates; read-only, no script), GET /healthz and GET /metrics (Prometheus). \
            The page answers direct requests only unless serve.status_page says proxied (a login of your own in \
            front of it), and is gone with off.

            SIGTERM or SIGINT lets a running reconcile finish, then exits 0.

            The serve: mapping of --config holds the same settings (listen, webhook_path, webhook_secret_file, \
            webhook_host, webhook_upstream, interval, jitter, burst_window, max_body, log_format, status_page).
            """)

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var runtime: RuntimeOptions

    @Option(name: Described.name(serve: \.listen), help: Described.help(serve: \.listen)) var listen: String?
    @Option(name: Described.name(serve: \.webhookPath), help: Described.help(serve: \.webhookPath)) var webhookPath: String?
    @Option(name: Described.name(serve: \.webhookSecretFile), help: Described.help(serve: \.webhookSecretFile)) var webhookSecretFile: String?
    @Option(name: Described.name(serve: \.webhookHost), help: Described.help(serve: \.webhookHost)) var webhookHost: String?
    @Option(name: Described.name(serve: \.webhookUpstream), help: Described.help(serve: \.webhookUpstream)) var webhookUpstream: String?
    @Option(name: Described.name(serve: \.interval), help: Described.help(serve: \.interval)) var interval: String?
    @Option(name: Described.name(serve: \.jitter), help: Described.help(serve: \.jitter)) var jitter: String?
    @Option(name: Described.name(serve: \.burstWindow), help: Described.help(serve: \.burstWindow)) var burstWindow: String?
    @Option(name: Described.name(serve: \.maxBody), help: Described.help(serve: \.maxBody)) var maxBody: Int?
    @Option(name: Described.name(serve: \.logFormat), help: Described.help(serve: \.logFormat)) var logFormat: LogFormat?

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

    func validate() throws {
        try Described.validate(serveLayer, ServeFileSettings.table)
    }

    /// These options as the `serve:` layer of settings (see `GatewayOptions.layer`).
    var layer: SettingsFile {
        var layer = runtime.layer
        layer.serve = serveLayer
        return layer
    }

    private var serveLayer: ServeFileSettings {
        var serve = ServeFileSettings()
        (serve.listen, serve.webhookPath, serve.webhookSecretFile, serve.webhookHost, serve.webhookUpstream)
            = (listen, webhookPath, webhookSecretFile, webhookHost, webhookUpstream)
        (serve.interval, serve.jitter, serve.burstWindow, serve.maxBody, serve.logFormat) = (interval, jitter, burstWindow, maxBody, logFormat)
        return serve
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
