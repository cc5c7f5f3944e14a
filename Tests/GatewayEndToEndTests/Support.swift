import Foundation
import XCTest
@testable import Adapters
#if canImport(Glibc)
import Glibc
#endif

// Helpers copied (and trimmed) from EndToEndTests and HomeAssistantRuntimeTests: a test target
// cannot import another one.

/// The package root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `reconcile` executable built next to the test bundle.
func reconcileBinary() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("reconcile")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the reconcile executable was not found next to the tests: run `swift build --build-tests` first" }
    }
    throw NotBuilt()
}

struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var output: String { stdout + stderr }
}

/// Runs a command to its end (or kills it at the deadline and fails), with extra environment.
func run(_ argv: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(180)) throws -> RunResult {
    let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    let output = try Subprocess.run(argv, environment: environment, timeout: timeout)
    return RunResult(status: output.status, stdout: output.stdout, stderr: output.stderr)
}

/// A TCP port nothing listens on right now (the kernel's pick).
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

/// The real Home Assistant that scripts/ha-test-env/install.sh puts in a venv. Missing is a failure
/// with the fix, never a silent skip.
enum HassTestEnvironment {
    static let version = "2024.1.6"
    static let controlScript = packageRoot.appendingPathComponent("scripts/ha-test-env/hass-ctl.sh")

    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["RECONCILE_HA_VENV"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/reconcile/ha-venv")
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static func requireInstalled() throws {
        let hass = venv.appendingPathComponent("bin/hass").path
        let marker = (try? String(contentsOf: venv.appendingPathComponent(".reconcile-ha-version"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.isExecutableFile(atPath: hass), marker == version else {
            throw Missing(description: "no Home Assistant \(version) in \(venv.path): run scripts/ha-test-env/install.sh first (CI must run it too)")
        }
    }
}

/// One HTTP answer: status (nil when nothing answered: no route, TLS refused, connection refused) and body.
struct Answer: CustomStringConvertible {
    var status: Int?
    var body: String
    var description: String { "\(status.map(String.init) ?? "no answer") \(body.debugDescription)" }
}

/// `curl` a URL once; `resolve` pins the host name to an address (SNI carries the site's name).
func curl(_ url: String, resolve: String? = nil, headers: [String] = [], timeout: Int = 10) -> Answer {
    var argv = ["curl", "-sk", "--max-time", String(timeout), "-w", "\n%{http_code}"]
    if let resolve { argv += ["--resolve", resolve] }
    for header in headers { argv += ["-H", header] }
    argv.append(url)
    guard let result = try? run(argv, timeout: .seconds(timeout + 5)) else { return Answer(status: nil, body: "") }
    var lines = result.stdout.components(separatedBy: "\n")
    let code = Int(lines.popLast() ?? "") ?? 0
    return Answer(status: code == 0 ? nil : code, body: lines.joined(separator: "\n"))
}

/// Polls `check` until it returns true or `within` passes.
func eventually(within: Duration = .seconds(30), interval: Duration = .milliseconds(250), _ check: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if check() { return true }
        Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
    }
    return check()
}
