import Adapters
import FoundationEssentials
import Planner

/// The way to Caddy for one reconcile, found once by the observation: the route the plan shows, and the
/// connection the activation and its rollback use (nil for `none`, or when no way answered: the route's
/// `problem` says why), so both talk to the same Caddy the same way.
extension CaddyRoute {
    typealias Found = (route: CaddyRoute, connection: CaddyConnection?)

    static func find(_ way: CaddyWay, paths: GatewayPaths, compose: ComposeSettings?) -> Found {
        let environment = ProcessInfo.processInfo.environment.merging(compose?.settings.environment ?? [:]) { $1 }
        let locator = CaddyContainerLocator(caddyfile: paths.caddyfile, composeFile: paths.composeFile,
                                            projectName: compose?.settings.projectName, environment: environment,
                                            facts: EngineFacts(directory: paths.stateDir))
        switch way {
        case .none:
            return (CaddyRoute(way: CaddyRoute.Way.none, reason: "--caddy none"), nil)
        case .adminAPI(let endpoint):
            return (CaddyRoute(way: .adminAPI, target: endpoint, reason: "--caddy admin-api"), .adminAPI(CaddyAdmin(endpoint: endpoint)))
        case .container:
            do {
                return container(try locator.locate(), reason: "--caddy container")
            } catch {
                return (CaddyRoute(way: nil, reason: "--caddy container", problem: error.description), nil)
            }
        case .automatic(let endpoint):
            do {
                let (connection, adminProblem) = try CaddyConnection.automatic(admin: CaddyAdmin(endpoint: endpoint), container: locator)
                switch connection {
                case .adminAPI:
                    return (CaddyRoute(way: .adminAPI, target: endpoint, reason: "auto: the admin API answered"), connection)
                case .container(let cli):
                    return container(cli, reason: "auto: the admin API at \(endpoint) did not answer (\(adminProblem.map(shortened) ?? "no answer"))")
                }
            } catch {
                return (CaddyRoute(way: nil, reason: "auto", problem: error.description), nil)
            }
        }
    }

    /// The container way, with the version of the Caddy in it (unknown if it does not say).
    private static func container(_ cli: CaddyContainerCLI, reason: String) -> Found {
        (CaddyRoute(way: .container, target: cli.name, service: cli.service, version: try? cli.version(), reason: reason), .container(cli))
    }

    /// The admin API's complaint without its advice, which is about the other way.
    private static func shortened(_ text: String) -> String {
        guard let open = text.firstRange(of: "did not answer ("), let close = text[open.upperBound...].firstRange(of: ")") else { return text }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
