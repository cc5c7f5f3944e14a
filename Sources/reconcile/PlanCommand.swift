import ArgumentParser
import Controller
import Planner

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what differs between the desired state and the gateway, and what apply would do.",
        discussion: "Exit status: 0 when the gateway matches, 2 when changes are pending, 1 on error.")

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try runPlan(gateway: gateway, output: output)
    }
}

func runPlan(gateway: GatewayOptions, output: OutputOptions) throws {
    let plan: Plan
    do {
        plan = try Observer.plan(gateway.settings())
    } catch {
        report(error)
        throw ReconcileExit.failure
    }
    print(output.json ? PlanJSONRenderer.render(plan) : PlanTextRenderer.render(plan, diff: output.diff), terminator: "")
    if plan.hasChanges { throw ReconcileExit.pending }
}
