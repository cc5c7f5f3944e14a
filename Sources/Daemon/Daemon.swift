import Adapters
import Diagnostics
import Controller
import FoundationEssentials
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import Notifications
import StatusPage
import StatusReport
import ServiceLifecycle
import UnixSignals
import Webhooks

/// `reconcile serve`: the HTTP endpoints, the timer and the reconcile loop, run as one service group that
/// stops on SIGTERM/SIGINT after the running reconcile (if any) has finished.
public struct Daemon: Sendable {
    public var host: String
    public var port: Int
    public var webhookPath: String
    /// nil: no secret configured, the webhook answers 404 and only the timer reconciles.
    public var webhook: WebhookSettings?
    public var schedule: TimerSchedule
    /// Triggers within this long of a reconcile's start fold into one more (see `Coalescing`).
    public var burstWindow: Duration
    public var runner: CycleRunner
    /// Who may open the status page at `/`.
    public var statusPage: StatusPageState.Access = .direct

    public init(host: String, port: Int, webhookPath: String, webhook: WebhookSettings?, schedule: TimerSchedule,
                burstWindow: Duration = .seconds(1), runner: CycleRunner) {
        self.host = host
        self.port = port
        self.webhookPath = webhookPath
        self.webhook = webhook
        self.schedule = schedule
        self.burstWindow = burstWindow
        self.runner = runner
    }

    public func run(logger: Logger) async throws {
        let metrics = DaemonMetrics(), health = HealthState()
        let runner = self.runner
        let stateDir = runner.settings.paths.stateDir
        // Until the first reconcile ends, the page shows the history the state dir kept.
        let page = StatusPageState(StatusPageModel(
            gateway: runner.settings.gateway, domain: nil, refreshedAt: StatusTime(secondsSince1970: Int64(Date().timeIntervalSince1970)).description,
            services: [], history: ReconcileHistoryStore.load(stateDir: stateDir), pending: nil))
        let scheduler = ReconcileScheduler(window: burstWindow, runner: { await runner.run($0) }, onRecord: { record in
            Self.log(record, logger: logger)
            metrics.record(record)
            health.record(record)
            if let model = record.page { page.update(model) }
        })
        let router = HTTPRoutes.router(webhookPath: webhookPath, gate: webhook.map(WebhookGate.init), scheduler: scheduler,
                                       metrics: metrics, health: health, page: statusPage == .off ? nil : (page, statusPage), logger: logger)
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let ready = ServerReady()
        // Slow or idle clients are cut off and connections are bounded: see `ServeHTTPLimits`.
        let slots = ConnectionSlots(capacity: ServeHTTPLimits.maxConnections)
        let server = HTTPServerBuilder.http1(configuration: .init(
            additionalChannelHandlers: [ConnectionSlotHandler(slots: slots), RequestDeadlineHandler(timeout: ServeHTTPLimits.requestTimeout)],
            idleTimeout: TimeAmount(ServeHTTPLimits.idleTimeout)))
        let app = Application(router: router, server: server,
                              configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { _ in await ready.ready() }, logger: serverLogger)
        if !LocalClients.isLoopback(host) {
            logger.warning("listening beyond loopback: the webhook, /healthz, /metrics and the status page answer whoever reaches \(host):\(port) (the pages only the gateway's own networks); keep the port closed to the internet, or listen on 127.0.0.1 behind Caddy")
        }
        logger.info("serving", metadata: [
            "listen": "\(host):\(port)", "webhook": .string(webhook == nil ? "off (no secret file)" : webhookPath),
            "interval": "\(schedule.interval)", "jitter": "\(schedule.jitter)",
        ])
        // Graceful shutdown runs the list backwards: the drain first (HTTP still answers /healthz while a
        // reconcile finishes), then the timer, then the server.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: app), .init(service: TimerService(schedule: schedule, scheduler: scheduler, ready: ready)),
                       .init(service: ReconcileDrainService(scheduler: scheduler, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: serverLogger))
        try await group.run()
    }

    static func log(_ record: CycleRecord, logger: Logger) {
        var metadata: Logger.Metadata = [
            "result": .string(record.outcome.rawValue),
            "triggers": .string(record.reasons.map(\.rawValue).sorted().joined(separator: ",")),
            "duration_ms": .stringConvertible(Int((record.duration.seconds * 1000).rounded())),
        ]
        if let commit = record.appliedCommit { metadata["applied_commit"] = .string(commit) }
        if let detail = record.detail { metadata["detail"] = .string(detail) }
        if let failure = record.failure { metadata["reason"] = .string(failure.rawValue) }
        // Each step of the apply first, with why it ran: the log reads like the apply's own output.
        for (index, step) in record.steps.enumerated() {
            logger.info("apply step", metadata: ["step": .stringConvertible(index + 1), "did": .string(step)])
        }
        switch record.outcome {
        case .applied, .inSync: logger.info("reconcile \(record.outcome.rawValue)", metadata: metadata)
        case .invalidInput, .failed: logger.error("reconcile \(record.outcome.rawValue)", metadata: metadata)
        }
        for delivery in record.notifications {
            var metadata: Logger.Metadata = ["event": .string(delivery.kind.rawValue), "target": .string(delivery.target),
                                             "attempts": .stringConvertible(delivery.attempts)]
            if let error = delivery.error {
                metadata["error"] = .string(error.reason)
                logger.warning("notification not sent", metadata: metadata)
            } else {
                logger.info("notified", metadata: metadata)
            }
        }
    }
}
