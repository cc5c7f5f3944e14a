import Adapters
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real Home Assistant that scripts/ha-test-env/install.sh puts in a venv, and the script that
/// starts and stops it. Missing means a failure with the fix, never a silent skip: these tests are
/// the only proof that what reconcile writes is what Home Assistant needs.
enum HassTestEnvironment {
    static let version = "2024.1.6"
    static let installScript = packageRoot.appendingPathComponent("scripts/ha-test-env/install.sh")
    static let controlScript = packageRoot.appendingPathComponent("scripts/ha-test-env/hass-ctl.sh")

    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["RECONCILE_HA_VENV"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/reconcile/ha-venv")
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// Throws unless the venv holds the Home Assistant version install.sh installs.
    static func requireInstalled() throws {
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
    static func control(configDir: URL, port: Int) -> HomeAssistantControl {
        let script = ["/bin/bash", controlScript.path]
        let arguments = [configDir.path, String(port)]
        return HomeAssistantControl(stop: script + ["stop"] + arguments, start: script + ["start"] + arguments,
                                    restart: script + ["restart"] + arguments, commandTimeout: .seconds(60),
                                    readiness: HomeAssistantReadiness(port: port, path: probePath, timeout: .seconds(120),
                                                                      interval: .milliseconds(250)))
    }

    /// Served by the `auth` integration without authentication (200 once onboarding is not loaded):
    /// a 400 there can only come from the forwarded-header check.
    static let probePath = "/auth/providers"
}

/// A TCP port nothing listens on right now (the kernel's pick), for one test's server.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The status Home Assistant answers to a GET of the probe path, with an `X-Forwarded-For` header
/// (as Caddy sends) unless `forwardedFor` is nil, from `source` (127.0.0.2 plays another peer).
func probeStatus(port: Int, forwardedFor: String? = "203.0.113.7", from source: String? = nil) throws -> Int {
    let headers = forwardedFor.map { [("X-Forwarded-For", $0)] } ?? []
    let request = HTTPRequest(address: "127.0.0.1", port: port, path: HassTestEnvironment.probePath, headers: headers,
                              sourceAddress: source, timeout: 10)
    return try HTTPClient.send(request).status
}
