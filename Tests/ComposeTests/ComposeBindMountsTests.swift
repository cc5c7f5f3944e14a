import Compose
import Diagnostics
import XCTest

/// Issue #16: Caddy's container is the service that bind-mounts the live Caddyfile.
final class ComposeBindMountsTests: XCTestCase {
    func matches(_ compose: String, _ path: String = "/usr/local/caddy/Caddyfile", file: String = "/home/root/mapio/docker-compose.yml",
                 home: String? = nil) throws -> [ComposeMountMatch] {
        try ComposeBindMounts.services(mounting: path, composeBytes: Array(compose.utf8), composeFile: file, home: home)
    }

    func testTheGatewaysOwnComposeFileFindsCaddy() throws {
        let found = try matches(gatewayCompose)
        XCTAssertEqual(found.map(\.service), ["caddy"])
        XCTAssertEqual(found.first?.containerPath, "/etc/caddy/Caddyfile")
        XCTAssertEqual(found.first?.singleFile, true)
        XCTAssertNil(found.first?.containerName)
        XCTAssertGreaterThan(found.first?.line ?? 0, 1)
    }

    func testShortSyntaxRelativeAndModeAndHome() throws {
        let compose = """
            services:
              proxy:
                container_name: edge
                volumes:
                  - ./caddy/Caddyfile:/etc/caddy/Caddyfile:ro
                  - caddy_data:/data
              other:
                volumes:
                  - ~/Caddyfile:/srv/Caddyfile
            volumes:
              caddy_data:

            """
        let relative = try matches(compose, "/home/root/mapio/caddy/Caddyfile")
        XCTAssertEqual(relative.map(\.service), ["proxy"])
        XCTAssertEqual(relative.first?.containerName, "edge")
        XCTAssertEqual(try matches(compose, "/root/Caddyfile", home: "/root").map(\.service), ["other"])
        XCTAssertEqual(try matches(compose, "/root/Caddyfile").map(\.service), [], "no home given: ~ is not guessed")
        XCTAssertEqual(try matches(compose, "/data").map(\.service), [], "a named volume is not a bind mount")
    }

    func testLongSyntaxAndAFolderMountAndMergeKeys() throws {
        let compose = """
            x-caddy: &caddy-volumes
              volumes:
                - type: bind
                  source: /usr/local/caddy
                  target: /etc/caddy
            services:
              caddy:
                <<: *caddy-volumes
                image: caddy:latest
              web:
                volumes:
                  - type: volume
                    source: /usr/local/caddy/Caddyfile
                    target: /x

            """
        let found = try matches(compose)
        XCTAssertEqual(found.map(\.service), ["caddy"])
        XCTAssertEqual(found.first?.containerPath, "/etc/caddy/Caddyfile")
        XCTAssertEqual(found.first?.singleFile, false)
    }

    func testNothingMountsIt() throws {
        XCTAssertEqual(try matches("services:\n  caddy:\n    image: caddy\n"), [])
        XCTAssertEqual(try matches("services:\n  caddy:\n    volumes:\n      - ${CADDYFILE}:/etc/caddy/Caddyfile\n"), [],
                       "an interpolated source is not guessed")
    }

    func testABrokenComposeFileIsAPositionedError() {
        XCTAssertThrowsError(try matches("services: [\n")) { error in
            XCTAssertTrue("\(error)".contains("docker-compose.yml:"), "\(error)")
        }
    }

    func testProjectNameFromTheFile() {
        XCTAssertEqual(ComposeBindMounts.projectName(composeBytes: Array("name: gateway\nservices: {}\n".utf8), composeFile: "c.yml"), "gateway")
        XCTAssertNil(ComposeBindMounts.projectName(composeBytes: Array("services: {}\n".utf8), composeFile: "c.yml"))
    }
}

extension ComposeBindMountsTests {
    func testAFileWhoseAliasesExplodeIsNotHandedToCompose() throws {
        var text = "x-0: &l0 [a, a, a, a, a, a, a, a, a, a]\n"
        for level in 1...8 { text += "x-\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        text += "services:\n  caddy:\n    image: caddy\n    labels: *l8\n"
        XCTAssertThrowsError(try ComposeBindMounts.check(composeBytes: Array(text.utf8), composeFile: "c.yml")) { error in
            XCTAssertTrue("\(error)".contains("expand to more than"), "\(error)")
        }
        // The gateway's own file, with its few aliases and merge keys, is fine.
        try ComposeBindMounts.check(composeBytes: Array(gatewayCompose.utf8), composeFile: "c.yml")
    }
}
