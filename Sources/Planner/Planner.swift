import Diagnostics
import DesiredState

/// desired + live -> Plan. Pure: the same inputs always give the same plan.
public enum Planner {
    public static func plan(_ inputs: PlanInputs) throws(DiagnosticList) -> Plan {
        var problems: [Diagnostic] = []
        var targets: [TargetPlan] = []
        do {
            targets.append(try CaddyTargetPlanner.plan(desired: inputs.desired, live: inputs.caddyfile))
        } catch {
            problems.append(error)
        }
        targets.append(TargetPlan(kind: .homeAssistant, path: inputs.homeAssistantConfigDir, managed: false,
                                  note: "not managed by this version yet: use_x_forwarded_for and trusted_proxies are left as they are"))
        targets.append(TargetPlan(kind: .compose, path: inputs.composeFile.path, managed: false,
                                  note: "not managed by this version yet: depends_on and the running containers are left as they are"))
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return Plan(desired: inputs.summary, targets: targets)
    }
}
