import Adapters
import Certificates
import DesiredState
import Planner

/// The reconcile's step after apply: each live host's certificate, for the report, the page and the metrics.
enum CertificateStep {
    /// After an apply: what Caddy's storage holds now, what each probe was served, and Caddy's log when a
    /// host is not plainly valid. Nil when the run stopped before a plan (nothing new is known; the last report's certificates stand).
    static func observe(_ stage: CycleFacts.Stage, desired: DesiredState?, caddy: CaddyConnection?, settings: ReconcileSettings,
                        now: Int64) -> CertificateReport? {
        let probes: [ProbeResult]
        switch stage {
        case .stopped: return nil
        // Nothing changed what Caddy serves: the observation's certificates stand.
        case .planned(let plan), .applyFailed(let plan, _, _): return plan.certificates
        case .applied(_, let outcome): probes = outcome.probes
        }
        let hosts = desired?.services.map(\.fqdn) ?? []
        var inputs = CertificateObserver.Inputs(hosts: hosts, dataDirectory: settings.paths.caddyDataDir)
        inputs.exposedSince = ExposureTimesStore.update(exposed: hosts, now: now, stateDir: settings.paths.stateDir)
        for probe in probes { if let served = probe.served { inputs.served[probe.host] = served } }
        // Caddy's log (the container way only) is read when a host is not plainly valid (not issued, renewing,
        // expired, failing): a gateway whose certificates are all inside their validity, before renewal,
        // starts no process for it.
        guard case .container(let cli)? = caddy else { return CertificateObserver.observe(inputs, now: now) }
        return CertificateObserver.observe(inputs, now: now) { try? cli.logs(lastSeconds: 86_400) }
    }
}
