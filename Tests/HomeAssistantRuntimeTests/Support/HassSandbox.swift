import Adapters
import Foundation
import TestSupport

/// A copy of the example gateway whose Home Assistant config dir is the one a real hass runs on,
/// with a configuration.yaml Home Assistant 2024.1 starts in seconds. Its http: block is
/// hand-written (where to listen): reconcile must add its trust keys and keep the rest.
final class HassSandbox {
    let tree: GatewayTree
    let port: Int
    var gateway: URL { tree.root }
    var repo: URL { tree.repo }
    var configDir: URL { tree.homeAssistantDir }
    var configurationYAML: URL { tree.configurationYAML }
    let control: HomeAssistantControl
    /// configuration.yaml as written here, before any reconcile.
    let originalConfiguration: Data

    init() throws {
        try HassTestEnvironment.requireInstalled()
        let tree = try GatewayTree(prefix: "reconcile-ha", contents: .example)
        let configDir = tree.homeAssistantDir
        let port = try freeLoopbackPort()
        // The example's default_config: pulls integrations whose requirements the lean venv lacks.
        let configuration = """
        # Home Assistant for reconcile's runtime tests: only what serves HTTP, so it starts in seconds.
        homeassistant:
          name: reconcile runtime test
          customize: !include customize.yaml

        # Hand-written: where to listen. reconcile adds its trust settings and keeps these lines.
        http:
          server_host: 127.0.0.1
          server_port: \(port)  # a free port picked by the test
          ip_ban_enabled: true

        # Serves /auth/providers without authentication: the probe.
        auth:

        """
        try Data(configuration.utf8).write(to: configDir.appendingPathComponent("configuration.yaml"))
        try Data("{}\n".utf8).write(to: configDir.appendingPathComponent("customize.yaml"))
        self.tree = tree
        self.port = port
        originalConfiguration = Data(configuration.utf8)
        control = HassTestEnvironment.control(configDir: configDir, port: port)
    }

    /// The exposure repo with Home Assistant behind Caddy (trust: reconcile's default proxies), or without it.
    func declare(homeAssistant: Bool) throws {
        let service = homeAssistant ? """
          homeassistant:
            host: "@"
            upstream: host.docker.internal:8123
            compose_service: homeassistant
            home_assistant: true
        """ : """
          jellyfin:
            host: jellyfin
            upstream: host.docker.internal:8096
            compose_service: jellyfin
        """
        let text = "version: 1\ndomain: mondomaine.ddnsfree.com\nservices:\n\(service)\n"
        try tree.writeExposure(text)
    }

    /// `reconcile apply --no-runtime` on this gateway: writes files only, restarts nothing.
    func apply() throws -> RunResult {
        try runProcess(try reconcileBinary(), ["apply", "--no-runtime"] + tree.arguments)
    }

    func configuration() throws -> Data { try Data(contentsOf: configurationYAML) }

    /// The end of what hass wrote, for a failure message.
    func hassLog() -> String {
        let text = (try? String(contentsOf: configDir.appendingPathComponent("hass-ctl.log"), encoding: .utf8)) ?? "(no hass-ctl.log)"
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }
}

/// The status Home Assistant answers to a GET of the probe path, with an `X-Forwarded-For` header
/// (as Caddy sends) unless `forwardedFor` is nil, from `source` (127.0.0.2 plays another peer).
func probeStatus(port: Int, forwardedFor: String? = "203.0.113.7", from source: String? = nil) throws -> Int {
    let headers = forwardedFor.map { [("X-Forwarded-For", $0)] } ?? []
    let request = HTTPRequest(address: "127.0.0.1", port: port, path: HassTestEnvironment.probePath, headers: headers,
                              sourceAddress: source, timeout: 10)
    return try HTTPClient.send(request).status
}
