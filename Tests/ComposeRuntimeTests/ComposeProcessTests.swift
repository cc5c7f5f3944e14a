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

    private func composeFile() throws -> String {
        let path = directory.appendingPathComponent("docker-compose.yml").path
        try Data("services:\n  caddy:\n    image: caddy\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The runner's timeout (see SubprocessTests) reaches callers as a Compose `timeout` error.
    func testTimeoutKillsTheWholeProcessGroupEvenWhenTERMIsIgnored() throws {
        let compose = directory.appendingPathComponent("docker-compose").path
        try Data("#!/bin/sh\ncase \"$*\" in\n  \"version --short\") echo 1.29.2 ;;\n  *) trap '' TERM; sleep 30; echo never ;;\nesac\n".utf8)
            .write(to: URL(fileURLWithPath: compose))
        chmod(compose, 0o755)
        let runtime = try ComposeRuntime.detect(file: try composeFile(), choice: .v1(path: compose),
                                                settings: .init(queryTimeout: .milliseconds(300)))
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

    func testDockerWithoutTheComposePluginIsNotV2() throws {
        // This machine's docker CLI has no compose plugin: v2 must be refused, not half-detected.
        guard let docker = Subprocess.resolve("docker", environment: ProcessInfo.processInfo.environment) else {
            throw XCTSkip("no docker CLI on PATH")
        }
        let hasPlugin = (try? Subprocess.run([docker, "compose", "version"], environment: ProcessInfo.processInfo.environment, timeout: .seconds(10)))?.status == 0
        try XCTSkipIf(hasPlugin, "this docker has the compose plugin")
        XCTAssertThrowsError(try ComposeRuntime.detect(file: try composeFile(), choice: .v2())) { error in
            XCTAssertEqual((error as! ComposeRuntimeError).kind, .binaryMissing)
        }
        XCTAssertEqual(try ComposeRuntime.detect(file: try composeFile()).client.kind, .v1, "automatic falls back to v1")
    }

    func testEngineDownIsClassifiedFromV1sTraceback() throws {
        let runtime = try ComposeRuntime.detect(file: try composeFile(), choice: .v1(),
                                                settings: .init(environment: ["DOCKER_HOST": "unix://\(directory.path)/no-engine.sock"]))
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
        XCTAssertEqual(try ComposeRuntime.detect(file: file, settings: .init(environment: ["PATH": path])).client.kind, .v2)
        _ = try fakeDocker(creatorVersion: "1.29.2")
        XCTAssertEqual(try ComposeRuntime.detect(file: file, settings: .init(environment: ["PATH": path])).client.kind, .v1,
                       "v1 made the containers: v2 would hash them differently and recreate them all")
    }

    func testV2CommandsAreSpelledAsDockerCompose() throws {
        let file = try composeFile()
        let (docker, log) = try fakeDocker(creatorVersion: "")
        let runtime = try ComposeRuntime.detect(file: file, choice: .v2(dockerPath: docker), settings: .init(projectName: "mapio"))
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
