import ArgumentParser
import Controller

// The fixed-value options parse straight into their enums: a value outside them is a usage error that
// lists the allowed ones (argument-parser reads them from `allCases`), before anything runs.
extension CaddyWaySetting: ExpressibleByArgument {}
extension ComposeClientSetting: ExpressibleByArgument {}
extension HomeAssistantRestartWay: ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

extension CaddyWaySetting {
    /// `--caddy-admin none` with `--caddy auto` or `admin-api`, both on the command line: never right.
    /// (With one of them from the settings file, `ResolvedSettings` refuses it.)
    static func validate(_ way: CaddyWaySetting?, admin: String?) throws {
        if admin == "none", let way, way == .auto || way == .adminAPI {
            throw ValidationError("--caddy-admin none goes with --caddy none, not --caddy \(way.rawValue)")
        }
    }
}
