import Caddyfile
import Certificates
import Compose
import Diagnostics
import DesiredState
import HomeAssistant

/// desired + live -> Plan. Pure: the same inputs always give the same plan.
/// Every target is planned even when another fails, so all problems are reported at once.
public enum Planner {
    public static func plan(_ inputs: PlanInputs) throws(DiagnosticList) -> Plan {
        var problems: [Diagnostic] = []
        var targets: [TargetPlan] = []
        var ledger = inputs.ledger
        do {
            var caddy = try CaddyTargetPlanner.plan(desired: inputs.desired, live: inputs.caddyfileParse,
                                                    syntax: CaddySyntax(for: inputs.caddyVersion), adopt: inputs.adopt)
            // Caddy's published ports matter only to a host becoming public: a converged plan parses nothing more.
            let proxy = !caddy.changes.contains { $0.exposure == .becomesPublic } ? nil
                : ComposeServiceIdentities.read(composeBytes: inputs.composeFile.bytes ?? [], composeFile: inputs.composeFile.path)
                    .first { $0.service == inputs.proxyService }
            caddy.warnings += PlanWarningGroups.grouped(Preflight.warnings(inputs.desired, proxyService: inputs.proxyService, proxy: proxy,
                                                                           composeFile: inputs.composeFile.path, changes: caddy.changes))
            targets.append(caddy)
        } catch {
            problems.append(error)
        }
        WebhookRouteGuard.check(inputs.webhookRoute, targets: &targets, problems: &problems)
        do {
            let proxy = inputs.composeRuntime?.containers(of: inputs.proxyService).filter(\.running) ?? []
            var homeAssistantOptions = inputs.homeAssistantOptions
            homeAssistantOptions.adopt = inputs.adopt
            let (homeAssistantTargets, after) = try HomeAssistantTargetPlanner.plan(
                desired: inputs.desired, input: inputs.homeAssistant,
                configDir: parentDirectory(of: inputs.homeAssistant.configurationPath), ledger: inputs.ledger.homeAssistant,
                proxyAddresses: proxy.flatMap(\.addresses), options: homeAssistantOptions)
            targets += homeAssistantTargets
            ledger.homeAssistant = after
        } catch {
            problems.append(error)
        }
        do {
            let (target, after) = try ComposeTargetPlanner.plan(
                desired: inputs.desired, live: inputs.composeFile, ledger: inputs.ledger.compose, proxyService: inputs.proxyService,
                runtime: inputs.composeRuntime, runtimeProblem: inputs.composeRuntimeProblem, adopt: inputs.adopt)
            targets.append(target)
            ledger.compose = after
        } catch {
            problems += error.diagnostics
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        var summary = inputs.summary
        summary.hosts = inputs.desired.services.map {
            ExposedHost(service: $0.name, host: $0.fqdn, upstream: $0.upstream.description, isHomeAssistant: $0.isHomeAssistant,
                         maintenance: $0.exposure.maintenance)
        }
        var plan = Plan(desired: summary, targets: targets, ledger: ledger, previousLedger: inputs.ledger)
        plan.caddy = inputs.caddy
        plan.certificates = inputs.certificates.map { liveCertificates($0, targets: targets) }
        return plan
    }

    /// Only hosts Caddy already serves: a host this plan adds has no certificate to speak of yet.
    static func liveCertificates(_ report: CertificateReport, targets: [TargetPlan]) -> CertificateReport {
        let adding = Set((targets.first { $0.kind == .caddyfile }?.changes ?? []).filter { $0.kind == .add }.compactMap(\.host))
        var live = report
        live.hosts = report.hosts.filter { !adding.contains($0.host) }
        return live
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }
}
