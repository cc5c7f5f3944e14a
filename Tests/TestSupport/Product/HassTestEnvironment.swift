import Adapters
import Foundation
import TestSupportCore

/// The real Home Assistant that scripts/ha-test-env/install.sh puts in a venv, and the script that
/// starts and stops it. Missing means a failure with the fix, never a silent skip: these tests are
/// the only proof that what reconcile writes is what Home Assistant needs.
public enum HassTestEnvironment {
    public static let version = "2024.1.6"
    public static let installScript = packageRoot.appendingPathComponent("scripts/ha-test-env/install.sh")
    public static let controlScript = packageRoot.appendingPathComponent("scripts/ha-test-env/hass-ctl.sh")

    public static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["RECONCILE_HA_VENV"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/reconcile/ha-venv")
    }

    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// Throws unless the venv holds the Home Assistant version install.sh installs.
    public static func requireInstalled() throws {
        let hass = venv.appendingPathComponent("bin/hass").path
        let marker = (try? String(contentsOf: venv.appendingPathComponent(".reconcile-ha-version"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.isExecutableFile(atPath: hass), marker == version else {
            let ci = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false
            throw Missing(description: "no Home Assistant \(version) in \(venv.path)"
                + (ci ? " on CI: .ci/run must run scripts/ha-test-env/install.sh before swift test"
                      : ": run scripts/ha-test-env/install.sh first (.ci/run must run it too)"))
        }
    }

    /// HomeAssistantControl driving hass-ctl.sh for one config dir: what a gateway does through Compose.
    public static func control(configDir: URL, port: Int) -> HomeAssistantControl {
        let script = ["/bin/bash", controlScript.path]
        let arguments = [configDir.path, String(port)]
        return HomeAssistantControl(stop: script + ["stop"] + arguments, start: script + ["start"] + arguments,
                                    restart: script + ["restart"] + arguments, commandTimeout: .seconds(60),
                                    readiness: HomeAssistantReadiness(port: port, path: probePath, timeout: .seconds(120),
                                                                      interval: .milliseconds(250)))
    }

    /// Served by the `auth` integration without authentication (200 once onboarding is not loaded):
    /// a 400 there can only come from the forwarded-header check.
    public static let probePath = "/auth/providers"
}
