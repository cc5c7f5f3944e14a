import Adapters
import ArgumentParser
import FoundationEssentials
import Glibc

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

    /// argument-parser's own `main`, except that an exit status is only that: its `exit(withError:)` builds
    /// the usage text for every error, an `ExitCode` too (2% of a 1,000-service `plan`, which ends in status 2).
    static func main() async {
        // First, while the process has a single thread: as a container's PID 1, become its init.
        ContainerInit.superviseIfPID1()
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let status as ExitCode {
            Glibc.exit(status.rawValue)
        } catch {
            exit(withError: error)
        }
    }

    func run() throws {
        guard plan else {
            print(Reconcile.helpMessage())
            return
        }
        // The engine options stay on `plan` only: repeated here, argument-parser gives them to this
        // command even when they follow a subcommand (`apply --no-runtime` would lose its flag).
        runPlan(PlanRequest(self))
    }
}
