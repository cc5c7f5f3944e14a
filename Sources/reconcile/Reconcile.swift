import ArgumentParser

@main
struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "GitOps for the services a home gateway exposes through Caddy.",
        discussion: "`reconcile --plan` is the same as `reconcile plan`.",
        subcommands: [PlanCommand.self, ApplyCommand.self, StatusCommand.self, ServeCommand.self])

    @Flag(help: "Show the plan (same as `reconcile plan`).")
    var plan = false

    @OptionGroup var gateway: GatewayOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        guard plan else {
            print(Reconcile.helpMessage())
            return
        }
        // The engine options stay on `plan` only: repeated here, argument-parser gives them to this
        // command even when they follow a subcommand (`apply --no-runtime` would lose its flag).
        try runPlan(gateway: gateway, output: output, engine: nil)
    }
}
