import Adapters
import Certificates
import Controller
import FoundationEssentials
import Prometheus
import Synchronization
import Webhooks

/// The daemon's Prometheus metrics. Every label value exists from the start (at 0), so a dashboard
/// sees a series before the first failure rather than a gap.
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let runs: [CycleRecord.Outcome: Counter]
    private let webhooks: [String: Counter]
    private let failures: [FailureReason: Counter]
    private let duration: DurationHistogram
    private let lastRun: Gauge
    private let notificationFailures: [String: Counter]
    private let commit = Mutex<(id: String, gauge: Gauge)?>(nil)
    /// Per host: its expiry gauge and one state gauge per state (1 for the current one).
    private let certificates = Mutex<[String: (expiry: Gauge, states: [HostCertificate.State: Gauge])]>([:])

    static let webhookResults = ["accepted", "ignored", "unauthorized", "too_large", "unreadable"]
    static let notificationChannels = ["ntfy", "webhook", "apprise"]

    public init() {
        var runs: [CycleRecord.Outcome: Counter] = [:]
        for outcome in CycleRecord.Outcome.allCases {
            runs[outcome] = registry.makeCounter(descriptor: .init(metricName: "reconcile_runs", unitName: "total", helpText: "Reconciles run by the daemon, by result."), labels: [("result", outcome.rawValue)])
        }
        self.runs = runs
        var failures: [FailureReason: Counter] = [:]
        for reason in FailureReason.allCases {
            failures[reason] = registry.makeCounter(descriptor: .init(metricName: "reconcile_failures", unitName: "total", helpText: "Reconciles that failed, by reason."), labels: [("reason", reason.rawValue), ("retryable", reason.isRetryable ? "true" : "false")])
        }
        self.failures = failures
        var webhooks: [String: Counter] = [:]
        for result in Self.webhookResults {
            webhooks[result] = registry.makeCounter(descriptor: .init(metricName: "reconcile_webhook_requests", unitName: "total", helpText: "Webhook deliveries received, by the answer given."), labels: [("result", result)])
        }
        self.webhooks = webhooks
        duration = registry.makeDurationHistogram(descriptor: .init(metricName: "reconcile_duration", unitName: "seconds", helpText: "How long one reconcile took, lock wait included."), buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                      .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120)])
        var notificationFailures: [String: Counter] = [:]
        for channel in Self.notificationChannels {
            notificationFailures[channel] = registry.makeCounter(descriptor: .init(metricName: "reconcile_notification_failures", unitName: "total", helpText: "Notifications that did not arrive after their retries, by channel."), labels: [("channel", channel)])
        }
        self.notificationFailures = notificationFailures
        lastRun = registry.makeGauge(descriptor: .init(metricName: "reconcile_last_run_timestamp", unitName: "seconds", helpText: "When the last reconcile finished (Unix time)."))
    }

    public func record(_ record: CycleRecord) {
        runs[record.outcome]?.increment()
        if let failure = record.failure { failures[failure]?.increment() }
        duration.record(record.duration)
        lastRun.set((record.started.timeIntervalSince1970 + record.duration.seconds))
        if let id = record.appliedCommit { setCommit(id) }
        for delivery in record.notifications where !delivery.delivered { notificationFailures[delivery.channel]?.increment() }
        if let hosts = record.certificates { setCertificates(hosts) }
    }

    /// `reconcile_certificate_expiry_timestamp_seconds{host}` (0 when none is stored) and
    /// `reconcile_certificate_state{host,state}` (1 for the host's state): hosts no longer exposed are dropped.
    private func setCertificates(_ hosts: [HostCertificate]) {
        certificates.withLock { series in
            let wanted = Set(hosts.map(\.host))
            for (host, old) in series where !wanted.contains(host) {
                registry.unregisterGauge(old.expiry)
                old.states.values.forEach(registry.unregisterGauge)
                series[host] = nil
            }
            for host in hosts {
                let gauges = series[host.host] ?? (
                    expiry: registry.makeGauge(descriptor: .init(metricName: "reconcile_certificate_expiry_timestamp", unitName: "seconds", helpText: "When the host's certificate in Caddy's storage expires (Unix time; 0: none stored)."), labels: [("host", host.host)]),
                    states: Dictionary(uniqueKeysWithValues: HostCertificate.State.allCases.map { state in
                        (state, registry.makeGauge(descriptor: .init(metricName: "reconcile_certificate_state", helpText: "The host's certificate state (1 for the current state)."), labels: [("host", host.host), ("state", state.rawValue)]))
                    }))
                gauges.expiry.set(Double(host.stored?.facts.notAfter ?? 0))
                for (state, gauge) in gauges.states { gauge.set(Double(state == host.state ? 1 : 0)) }
                series[host.host] = gauges
            }
        }
    }

    public func webhook(_ verdict: WebhookVerdict) {
        webhooks[verdict.label]?.increment()
    }

    /// `reconcile_last_applied_commit_info{commit="…"} 1`: one series, replaced when the commit changes.
    private func setCommit(_ id: String) {
        commit.withLock { current in
            if current?.id == id { return }
            if let old = current { registry.unregisterGauge(old.gauge) }
            let gauge = registry.makeGauge(descriptor: .init(metricName: "reconcile_last_applied_commit", unitName: "info", helpText: "The commit last applied to this gateway (the value is always 1)."), labels: [("commit", id)])
            gauge.set(Double(1))
            current = (id, gauge)
        }
    }

    public func text() -> [UInt8] { registry.emitToBuffer() }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
