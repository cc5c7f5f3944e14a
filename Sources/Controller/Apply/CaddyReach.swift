import Adapters
import FoundationEssentials
import Planner

/// The way to Caddy for one apply, found once before planning (the plan shows it) and kept for the
/// activation and its rollback, so both talk to the same Caddy the same way.
struct CaddyReach: Sendable {
    /// Nil when the way is `none`, or when no way answered (`route.problem` says why).
    let connection: CaddyConnection?
    let route: CaddyRoute

    static let unused = CaddyReach(connection: nil, route: CaddyRoute(way: CaddyRoute.Way.none, reason: "--no-runtime"))

    static func find(_ activation: CaddyActivation, paths: GatewayPaths, compose: ComposeSettings?) -> CaddyReach {
        let environment = ProcessInfo.processInfo.environment.merging(compose?.settings.environment ?? [:]) { $1 }
        let locator = CaddyContainerLocator(caddyfile: paths.caddyfile, composeFile: paths.composeFile,
                                            projectName: compose?.settings.projectName, environment: environment,
                                            facts: EngineFacts(directory: paths.stateDir))
        switch activation {
        case .none:
            return CaddyReach(connection: nil, route: CaddyRoute(way: CaddyRoute.Way.none, reason: "--caddy none"))
        case .adminAPI(let endpoint):
            return CaddyReach(connection: .adminAPI(CaddyAdmin(endpoint: endpoint)),
                              route: CaddyRoute(way: .adminAPI, target: endpoint, reason: "--caddy admin-api"))
        case .container:
            do {
                return reach(try locator.locate(), reason: "--caddy container")
            } catch {
                return CaddyReach(connection: nil, route: CaddyRoute(way: nil, reason: "--caddy container", problem: error.description))
            }
        case .automatic(let endpoint):
            do {
                let (connection, adminProblem) = try CaddyConnection.automatic(admin: CaddyAdmin(endpoint: endpoint), container: locator)
                switch connection {
                case .adminAPI:
                    return CaddyReach(connection: connection, route: CaddyRoute(way: .adminAPI, target: endpoint, reason: "auto: the admin API answered"))
                case .container(let cli):
                    return reach(cli, reason: "auto: the admin API at \(endpoint) did not answer (\(adminProblem.map(shortened) ?? "no answer"))")
                }
            } catch {
                return CaddyReach(connection: nil, route: CaddyRoute(way: nil, reason: "auto", problem: error.description))
            }
        }
    }

    /// The container way, with the version of the Caddy in it (unknown if it does not say).
    private static func reach(_ cli: CaddyContainerCLI, reason: String) -> CaddyReach {
        CaddyReach(connection: .container(cli),
                   route: CaddyRoute(way: .container, target: cli.name, service: cli.service, version: try? cli.version(), reason: reason))
    }

    /// The admin API's complaint without its advice, which is about the other way.
    private static func shortened(_ text: String) -> String {
        guard let open = text.firstRange(of: "did not answer ("), let close = text[open.upperBound...].firstRange(of: ")") else { return text }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
