import Compose
import Foundation
import TestSupport
import XCTest
#if canImport(ComposeRuntime)
@testable import ComposeRuntime
#else
@testable import Adapters
#endif

/// Client detection and failure handling, without an engine.
final class ComposeProcessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("compose-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// An engine that is no Unix socket: the runtime takes the CLI way (`ps`, `docker inspect`, `docker ps`),
    /// which these doubles answer; with a socket it reads the engine's API instead (ComposeRuntimeTests).
    private let cliWay = ["DOCKER_HOST": "tcp://127.0.0.1:1"]

    private func composeFile() throws -> String {
        let path = directory.appendingPathComponent("docker-compose.yml").path
        try Data("services:\n  caddy:\n    image: caddy\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Issue #24: a `docker-compose` that is Compose v2 (the standalone binary; the real 2.40.3 here) is not taken for v1,
    /// which would misname the client the plan and the major check speak of; `auto` then finds v2 through `docker`.
    func testADockerComposeThatIsV2IsNotTakenForV1() throws {
        let v2 = "/usr/local/lib/docker/cli-plugins/docker-compose"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: v2), "Compose v2 (scripts/install-test-tools.sh)")
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("docker-compose").path, withDestinationPath: v2)
        let path = ["PATH": "\(bin.path):/usr/bin:/bin"]
        XCTAssertThrowsError(try ComposeRuntime.detect(file: try composeFile(), choice: .v1(), settings: .init(environment: path))) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .binaryMissing)
            XCTAssertTrue(error.description.contains("is Compose 2.40.3, not v1"), error.description)
        }
        let automatic = try ComposeRuntime.detect(file: try composeFile(), choice: .automatic, settings: .init(environment: path))
        XCTAssertEqual(automatic.client.kind, .v2)
        XCTAssertEqual(automatic.client.version, "2.40.3")
        XCTAssertFalse(automatic.client.chosen)
    }

    /// The runner's timeout (see SubprocessTests) reaches callers as a Compose `timeout` error.
    func testTimeoutKillsTheWholeProcessGroupEvenWhenTERMIsIgnored() throws {
        let compose = directory.appendingPathComponent("docker-compose").path
        try Data("#!/bin/sh\ncase \"$*\" in\n  \"version --short\") echo 1.29.2 ;;\n  *) trap '' TERM; sleep 30; echo never ;;\nesac\n".utf8)
            .write(to: URL(fileURLWithPath: compose))
        chmod(compose, 0o755)
        let runtime = try ComposeRuntime.detect(file: try composeFile(), choice: .v1(path: compose),
                                                settings: .init(queryTimeout: .milliseconds(300), environment: cliWay))
        let started = ContinuousClock.now
        XCTAssertThrowsError(try runtime.state()) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .timeout)
            XCTAssertNil(error.exitStatus)
            XCTAssertEqual(error.context, "listing the project's containers")
            XCTAssertTrue(error.description.contains("killed after"), error.description)
        }
        let elapsed = ContinuousClock.now - started
        XCTAssertLessThan(elapsed, .seconds(5), "SIGKILL after the grace period, and the grandchild `sleep` did not hold the pipes")
    }

    func testMissingBinaryIsClassified() throws {
        let file = try composeFile()
        XCTAssertThrowsError(try ComposeRuntime.detect(file: file, choice: .v1(path: "/nonexistent/docker-compose"))) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .binaryMissing)
            XCTAssertTrue(error.description.contains("/nonexistent/docker-compose"), error.description)
        }
        XCTAssertThrowsError(try ComposeRuntime.detect(file: file, settings: .init(environment: ["PATH": directory.path]))) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .binaryMissing)
            XCTAssertTrue(error.description.contains("neither Compose v2 nor v1"), error.description)
        }
    }

    /// A docker CLI without the compose plugin answers `docker compose` as the real one does (20.10 and 28
    /// alike): "'compose' is not a docker command", status 1. This machine's docker has the plugin, so the
    /// test uses a double of a CLI without it, next to the real Compose v1.
    func testDockerWithoutTheComposePluginIsNotV2() throws {
        let docker = directory.appendingPathComponent("docker").path
        try Data("#!/bin/sh\necho \"$*\" >> \(directory.path)/argv.log\nprintf \"docker: 'compose' is not a docker command.\\nSee 'docker --help'\\n\" >&2\nexit 1\n".utf8)
            .write(to: URL(fileURLWithPath: docker))
        chmod(docker, 0o755)
        XCTAssertThrowsError(try ComposeRuntime.detect(file: try composeFile(), choice: .v2(dockerPath: docker))) { error in
            XCTAssertEqual((error as! ComposeRuntimeError).kind, .binaryMissing, "v2 must be refused, not half-detected")
        }
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/docker-compose"), "Compose v1 (Debian's docker-compose) is not installed")
        let path = "\(directory.path):/usr/bin:/bin"
        XCTAssertEqual(try ComposeRuntime.detect(file: try composeFile(), settings: .init(environment: ["PATH": path])).client.kind, .v1,
                       "automatic falls back to v1")
        XCTAssertTrue(try String(contentsOfFile: directory.path + "/argv.log", encoding: .utf8).contains("compose version"),
                      "the double was asked, so the fall-back is its answer's doing")
    }

    func testEngineDownIsClassifiedFromV1sTraceback() throws {
        let runtime = try ComposeRuntime.detect(file: try composeFile(), choice: .v1(),
                                                settings: .init(environment: cliWay))
        XCTAssertNoThrow(try runtime.validate(fileBytes: Array("services:\n  caddy:\n    image: caddy\n".utf8)), "config -q needs no engine")
        XCTAssertThrowsError(try runtime.state()) { error in
            let error = error as! ComposeRuntimeError
            XCTAssertEqual(error.kind, .engineDown)
            XCTAssertEqual(error.exitStatus, 1)
            XCTAssertTrue(error.description.contains("`\(runtime.client.executable) -f \(runtime.file) ps -a -q` exited with status 1"), error.description)
            XCTAssertLessThanOrEqual(error.description.split(separator: "\n").count, 2 + ComposeRuntimeError.stderrLinesShown)
        }
    }

    /// A stand-in `docker` with the compose plugin: records its arguments, answers like v2.
    private func fakeDocker(creatorVersion: String) throws -> (path: String, log: String) {
        let log = directory.appendingPathComponent("argv.log").path
        let script = """
        #!/bin/sh
        echo "$*" >> \(log)
        case "$*" in
          "compose version --short") echo 2.24.6 ;;
          "ps -a --filter"*) echo "\(creatorVersion)" ;;
          *"config --hash=*") printf 'caddy 1111\\njellyfin 2222\\n' ;;
          *"ps -a -q") ;;
          *) ;;
        esac
        """
        let path = directory.appendingPathComponent("docker").path
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return (path, log)
    }

    func testAutomaticDetectionPrefersV2UnlessV1CreatedTheContainers() throws {
        let file = try composeFile()
        let path = "\(directory.path):/usr/bin:/bin"
        _ = try fakeDocker(creatorVersion: "")
        XCTAssertEqual(try ComposeRuntime.detect(file: file, settings: .init(environment: cliWay.merging(["PATH": path]) { $1 })).client.kind, .v2)
        _ = try fakeDocker(creatorVersion: "1.29.2")
        XCTAssertEqual(try ComposeRuntime.detect(file: file, settings: .init(environment: cliWay.merging(["PATH": path]) { $1 })).client.kind, .v1,
                       "v1 made the containers: v2 would hash them differently and recreate them all")
    }

    func testV2CommandsAreSpelledAsDockerCompose() throws {
        let file = try composeFile()
        let (docker, log) = try fakeDocker(creatorVersion: "")
        let runtime = try ComposeRuntime.detect(file: file, choice: .v2(dockerPath: docker), settings: .init(projectName: "mapio", environment: cliWay))
        XCTAssertEqual(runtime.client.version, "2.24.6")
        let state = try runtime.state()
        XCTAssertEqual(state.definitionHashes, ["caddy": "1111", "jellyfin": "2222"])
        try runtime.up(services: ["caddy", "jellyfin"])
        try runtime.up(services: [])
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, [
            "compose version --short",
            "compose -f \(file) -p mapio ps -a -q",
            "compose -f \(file) -p mapio config --hash=*",
            "compose -f \(file) -p mapio up -d --no-deps caddy jellyfin",
        ], "an empty up runs nothing (a bare `up -d` would start every service)")
    }
}
