import Compose
import DesiredState
import Diagnostics

/// The Compose part of the plan: `depends_on: caddy` for each exposed service, and what the engine must bring up.
enum ComposeTargetPlanner {
    static func plan(desired: DesiredState, live: LiveFile, ledger: ComposeLedger, proxyService: String,
                     runtime: ComposeRuntimeState?, runtimeProblem: String?, adopt: Bool = false) throws(DiagnosticList) -> (TargetPlan, ComposeLedger) {
        var seen = Set<String>()
        let exposed = desired.services.compactMap(\.composeService).filter { seen.insert($0).inserted }
        if exposed.isEmpty && ledger.entries.isEmpty {
            return (TargetPlan(kind: .compose, path: live.path,
                               note: "no exposed service names a compose_service, and reconcile added no dependency"), ledger)
        }
        guard let bytes = live.bytes else {
            throw DiagnosticList([Diagnostic(file: live.path, position: nil, message: "the compose file does not exist",
                                             hint: "services \(exposed.joined(separator: ", ")) declare a compose_service; point --compose-file at the gateway's docker-compose.yml")])
        }
        let edit = try ComposePlanner.plan(bytes, file: live.path, exposed: exposed, proxyService: proxyService, ledger: ledger, adopt: adopt)
        // What `up` recreates for a changed depends_on depends on the client (see `ComposeClientVersion`);
        // unknown (no runtime) counts as v1, the costlier one.
        let recreated = runtime?.client?.hashesDependsOn == false ? [] : edit.recreates
        var changes = edit.changes.map { change in
            if change.action == .adopted {
                return PlannedChange(kind: .adopt, subject: change.service, composeService: change.service,
                                     summary: "depends_on \(change.dependency) (\(change.form.rawValue) form, line \(change.line)), written by hand",
                                     reason: "adopted on request (--adopt): the file does not change, and prune will remove the entry when the service is no longer exposed",
                                     lines: LineRange(line: change.line))
            }
            return PlannedChange(kind: change.action == .added ? .add : .remove, subject: change.service, composeService: change.service,
                          summary: "depends_on \(change.action == .added ? "+=" : "-=") \(change.dependency)"
                            + " (\(change.form.rawValue) form\(change.wholeKey ? ", \(change.action == .added ? "new" : "whole") key" : ""), line \(change.line))",
                          reason: change.action == .added
                            ? "exposed through \(proxyService): \(proxyService) must be up whenever the service is"
                            : "no longer exposed: removing the dependency reconcile added",
                          restarts: recreated.contains(change.service) ? [change.service] : [],
                          lines: LineRange(line: change.line))
        }
        var warnings: [PlanWarning] = edit.adoptable.map { entry in
            PlanWarning(.adoptable, file: live.path, position: SourcePosition(line: entry.line, column: 1), services: [entry.service],
                        "\(entry.service)'s depends_on on \(entry.dependency) was written by hand: reconcile keeps it as yours and will never remove it",
                        hint: "to let reconcile own it, run `reconcile apply --adopt` once, or set `adopt: true` in the settings file")
        }
        var bringUp = edit.wouldBringUp
        if let runtime {
            bringUp = runtime.servicesToBringUp(for: edit, exposed: exposed, proxyService: proxyService)
            warnings += runtime.drift(for: exposed, proxyService: proxyService).map { PlanWarning(.runtimeDrift, file: live.path, $0) }
            if let client = runtime.client, let creator = runtime.foreignCreator {
                warnings.append(PlanWarning(.composeMajorMismatch, file: live.path,
                    "the containers were created by \(creator.name) and \(client.name) would run: it hashes definitions differently, so it recreates and renames every container it brings up"
                        + (client.chosen ? " (chosen with --compose)" : "; an apply refuses (compose_major_mismatch)"),
                    hint: client.chosen ? nil : "install the Compose that created them, or choose a client with `--compose v\(creator.major)` or `--compose v\(client.major)`"))
            }
            if !exposed.isEmpty && !runtime.isRunning(proxyService) {
                changes.append(PlannedChange(kind: .change, subject: proxyService, composeService: proxyService, summary: "bring up \(proxyService)",
                                             reason: "\(proxyService) is not running: nothing is published until it is",
                                             restarts: [proxyService]))
            }
        } else if let runtimeProblem {
            warnings.append(PlanWarning(.engineNotRead, file: live.path, "the engine's state was not read (\(runtimeProblem)); the plan covers the file only"))
        }
        var target = TargetPlan(kind: .compose, path: live.path, changes: changes, warnings: warnings,
                                currentContent: bytes, newContent: edit.newBytes)
        if let client = runtime?.client { target.composeClients = ComposeClients(createdBy: runtime?.creators ?? [], runs: client) }
        if let client = runtime?.client, !edit.recreates.isEmpty {
            target.note = client.hashesDependsOn
                ? "\(client.name) hashes depends_on into each service's config: up -d --no-deps recreates the running container of \(edit.recreates.joined(separator: ", "))"
                : "\(client.name) leaves depends_on out of its config hash: no container is recreated for the new depends_on"
        }
        if !changes.isEmpty && !bringUp.isEmpty {
            target.restart = ServiceRestart(mode: .composeUp, services: bringUp, reason: runtime == nil
                ? "up -d --no-deps would bring these up (Compose v1 recreates a container whose depends_on changed; v2 does not)"
                : "up -d --no-deps brings these up: not running, or created from an older definition"
                    + (runtime?.client.map { " (\($0.name))" } ?? ""))
        }
        return (target, edit.ledger)
    }
}
