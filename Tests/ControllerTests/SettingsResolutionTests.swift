import Adapters
import XCTest
import Diagnostics
@testable import Controller

/// The command line over the settings file over the defaults: the one precedence (`SettingsFile.over`)
/// and the one resolution (`ResolvedSettings.resolve`).
final class SettingsResolutionTests: XCTestCase {
    /// Every setting, each value marked with `tag`.
    func everySetting(_ tag: String) -> SettingsFile {
        var s = SettingsFile()
        (s.repo, s.root, s.caddyfile, s.haConfig, s.composeFile, s.stateDir) = ("/\(tag)/repo", "/\(tag)", "/\(tag)/Caddyfile", "/\(tag)/ha", "/\(tag)/dc.yml", "/\(tag)/state")
        s.caddyData = "/\(tag)/caddy_data"
        (s.branch, s.gateway, s.statusBranch, s.tokenFile, s.tokenEnv, s.sshKey, s.knownHosts) = ("\(tag)-b", "\(tag)gw", "\(tag)-status", "/\(tag)/token", "\(tag.uppercased())_TOKEN", "/\(tag)/key", "/\(tag)/known")
        (s.caddyAdmin, s.caddy, s.compose, s.haURL, s.probe) = ("127.0.0.1:\(tag.count)019", tag == "cli" ? .container : .none, tag == "cli" ? .v2 : .v1, "http://\(tag):8123/", "https://\(tag):443")
        (s.probeAttempts, s.probeTimeout, s.gitTimeout) = (tag.count, Double(tag.count), Double(tag.count))
        (s.policy, s.allowedSigners, s.gpgKeyring, s.haTokenFile) = ("/\(tag)/policy.yaml", "/\(tag)/signers", "/\(tag)/keyring", "/\(tag)/ha-token")
        s.haCommands = .init(stop: [tag, "stop"], start: [tag, "start"], restart: [tag, "restart"])
        (s.allowSymlinkedLivePaths, s.haRepairLostMasks, s.adopt) = (tag == "cli", tag == "cli", tag == "cli")
        s.notify = [NotifyTarget(channel: .ntfy(topicURL: "https://\(tag).example.org/alerts", tokenFile: "/\(tag)/ntfy-token"))]
        (s.allowForcePush, s.acceptNewHostKey, s.haRestart) = (tag == "cli", tag == "cli", tag == "cli" ? HomeAssistantRestartWay.none : .compose)
        var serve = ServeFileSettings()
        (serve.listen, serve.webhookPath, serve.webhookSecretFile, serve.webhookHost, serve.webhookUpstream) = ("\(tag):9797", "/\(tag)", "/\(tag)/secret", "\(tag).example.org", "\(tag):1")
        (serve.interval, serve.jitter, serve.burstWindow, serve.maxBody) = ("\(tag.count)m", "\(tag.count)s", "\(tag.count)s", tag.count)
        (serve.logFormat, serve.statusPage) = (tag == "cli" ? .json : .text, tag == "cli" ? .off : .proxied)
        s.serve = serve
        return s
    }

    /// The names of the fields left nil: none, or this test misses a setting added since.
    func unset(_ value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap { child in
            let mirror = Mirror(reflecting: child.value)
            return mirror.displayStyle == .optional && mirror.children.isEmpty ? child.label : nil
        }
    }

    func testTheCommandLineWinsSettingBySettingAndTheFileFillsTheRest() throws {
        let cli = everySetting("cli"), file = everySetting("file")
        XCTAssertEqual(unset(SettingsFile()).count, Mirror(reflecting: SettingsFile()).children.count, "the check sees every unset field")
        XCTAssertEqual(unset(cli), [], "every setting is exercised")
        XCTAssertEqual(unset(try XCTUnwrap(cli.serve)), [])
        XCTAssertEqual(cli.over(file), cli, "every option given wins")
        XCTAssertEqual(SettingsFile().over(file), file, "every setting of the file is kept when no option is given")
        XCTAssertEqual(file.over(SettingsFile()), file)

        var some = SettingsFile()
        some.stateDir = "/cli/state"
        some.serve = ServeFileSettings()
        some.serve?.listen = "cli:1"
        let merged = some.over(file)
        XCTAssertEqual(merged.stateDir, "/cli/state")
        XCTAssertEqual(merged.repo, file.repo)
        XCTAssertEqual(merged.serve?.listen, "cli:1")
        XCTAssertEqual(merged.serve?.interval, file.serve?.interval, "serve: merged key by key too")
        XCTAssertEqual(merged.serve?.statusPage, .proxied)
    }

    func testDefaultsComeLast() throws {
        var layer = SettingsFile()
        layer.gateway = "gw"
        let defaults = try ResolvedSettings.resolve(layer, engine: .apply)
        XCTAssertEqual(defaults.reconcile.repo, ".")
        XCTAssertNil(defaults.reconcile.remote)
        XCTAssertEqual(defaults.reconcile.paths.stateDir, GatewayPaths.defaults(root: nil).stateDir)
        XCTAssertEqual(defaults.reconcile.statusBranch, StatusBranch.defaultName)
        XCTAssertEqual(defaults.reconcile.policy, PolicySource(path: "/etc/reconcile/policy.yaml", required: false))
        XCTAssertEqual(defaults.caddy, .automatic(adminEndpoint: CaddyWay.defaultAdminEndpoint))
        XCTAssertEqual(defaults.compose?.choice, .automatic)
        XCTAssertEqual(defaults.runtime?.homeAssistant, .compose(client: ["docker-compose"], readiness: HomeAssistantReadiness()))
        var probes = ProbeSettings()
        probes.certificateStorage = "/usr/local/caddy/caddy_data"
        XCTAssertEqual(defaults.runtime?.probes, probes, "a host waiting for its first certificate is told apart in Caddy's storage")
        XCTAssertEqual(defaults.logFormat, .text)
        XCTAssertFalse(defaults.reconcile.adopt)

        var file = SettingsFile()
        (file.stateDir, file.compose, file.caddy, file.serve) = ("/file/state", .v1, .container, ServeFileSettings())
        file.serve?.logFormat = .json
        let fromFile = try ResolvedSettings.resolve(layer.over(file), engine: .apply)
        XCTAssertEqual(fromFile.reconcile.paths.stateDir, "/file/state")
        XCTAssertEqual(fromFile.compose?.choice, .v1(path: nil))
        XCTAssertEqual(fromFile.runtime?.homeAssistant, .compose(client: ["docker-compose"], readiness: HomeAssistantReadiness()))
        XCTAssertEqual(fromFile.caddy, .container)
        XCTAssertEqual(fromFile.logFormat, .json)

        var cli = layer
        (cli.stateDir, cli.compose, cli.haRestart) = ("/cli/state", ComposeClientSetting.none, HomeAssistantRestartWay.none)
        let fromCommandLine = try ResolvedSettings.resolve(cli.over(file), engine: .apply)
        XCTAssertEqual(fromCommandLine.reconcile.paths.stateDir, "/cli/state")
        XCTAssertNil(fromCommandLine.compose, "--compose none")
        XCTAssertEqual(fromCommandLine.runtime?.homeAssistant, HomeAssistantRestart.none)
        XCTAssertEqual(fromCommandLine.caddy, .container, "still the file's")
    }

    func testWhatTheCommandAsksOfTheEngine() throws {
        var layer = SettingsFile()
        (layer.gateway, layer.probe) = ("gw", "not a url")
        let files = try ResolvedSettings.resolve(layer, engine: .filesOnly)
        XCTAssertNil(files.caddy)
        XCTAssertNil(files.compose)
        XCTAssertNil(files.runtime)
        let plan = try ResolvedSettings.resolve(layer, engine: .read)
        XCTAssertEqual(plan.compose?.choice, .automatic)
        XCTAssertNil(plan.runtime, "a plan does not resolve (or refuse) apply's probes")
        XCTAssertThrowsError(try ResolvedSettings.resolve(layer, engine: .apply)) { error in
            XCTAssertEqual((error as? ReconcileError)?.reason, .invalidSettings)
            XCTAssertTrue("\(error)".contains("--probe"), "\(error)")
        }
    }

    func testAFixedValueOutsideItsSetIsRefusedWithTheAllowedOnes() {
        for (text, expected) in [("compose: v3\n", "r.yaml:1:10: 'compose' is 'v3', not one of auto, v1, v2, none"),
                                 ("serve:\n  log_format: xml\n", "r.yaml:2:15: 'serve.log_format' is 'xml', not one of text, json"),
                                 ("serve:\n  status_page: public\n", "r.yaml:2:16: 'serve.status_page' is 'public', not one of direct, proxied, off")] {
            XCTAssertThrowsError(try SettingsFile.parse(Array(text.utf8), file: "r.yaml")) { error in
                XCTAssertEqual((error as? DiagnosticList)?.diagnostics.first.map { "\($0.file):\($0.position.map { "\($0.line):\($0.column)" } ?? ""): \($0.message)" }, expected)
            }
        }
    }
}
