import Compose
import Diagnostics
import XCTest

/// What the planner refuses, and how it says so.
final class ComposePlannerErrorTests: XCTestCase {
    func testUnknownServiceNamesTheFileTheServiceAndTheServicesThatExist() {
        let errors = planErrors(gatewayCompose, exposed: ["jelyfin"])
        XCTAssertEqual(errors.count, 1)
        let message = errors.first?.description ?? ""
        XCTAssertTrue(message.hasPrefix("docker-compose.yml:12:1: "), message)
        XCTAssertTrue(message.contains("`jelyfin`"), message)
        XCTAssertTrue(message.contains("caddy, homeassistant, zigbee2mqtt, jellyfin, nextcloud, db"), message)
        XCTAssertTrue(message.contains("did you mean `jellyfin`?"), message)
    }

    func testMissingProxyServiceIsAnErrorAndEveryProblemIsReportedAtOnce() {
        let source = "services:\n  jellyfin:\n    image: j\n"
        let errors = planErrors(source, exposed: ["jellyfin", "nextcloud"])
        XCTAssertEqual(errors.count, 2)
        XCTAssertTrue(errors.contains { $0.message.contains("no `caddy` service") && $0.message.contains("does not create the proxy") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.message.contains("`nextcloud`") && $0.message.contains("(its services: jellyfin)") }, "\(errors)")
    }

    func testNothingExposedNeedsNoProxy() throws {
        let edit = try plan("services:\n  jellyfin:\n    image: j\n", exposed: [])
        XCTAssertNil(edit.newBytes)
    }

    func testExposingTheProxyItselfIsRefused() {
        let errors = planErrors(gatewayCompose, exposed: ["caddy"])
        XCTAssertTrue(errors.first?.message.contains("cannot depend on itself") ?? false, "\(errors)")
    }

    func testMergedDependsOnWithoutCaddyIsRefusedRatherThanShadowed() {
        let source = "x-radio: &radio\n  depends_on: [zigbee2mqtt]\nservices:\n  caddy:\n    image: caddy\n  zigbee2mqtt:\n    image: z\n  ha:\n    <<: *radio\n    image: ha\n"
        let errors = planErrors(source, exposed: ["ha"])
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.message.contains("`<<` merge key") ?? false, "\(errors)")
        XCTAssertEqual(errors.first?.position?.line, 8)
    }

    func testAliasedOrSharedDependsOnIsRefused() {
        let alias = "services:\n  caddy:\n    image: caddy\n  a:\n    image: a\n    depends_on: &deps [caddy2]\n  caddy2:\n    image: c\n  b:\n    image: b\n    depends_on: *deps\n"
        let errors = planErrors(alias, exposed: ["b"])
        XCTAssertTrue(errors.first?.message.contains("is an alias") ?? false, "\(errors)")
        let shared = planErrors(alias, exposed: ["a"])
        XCTAssertTrue(shared.first?.message.contains("&deps") ?? false, "\(shared)")
    }

    func testAServiceThatIsAnAliasOfAnotherIsRefused() {
        let source = "services:\n  caddy:\n    image: caddy\n  a: &a\n    image: a\n  b: *a\n"
        let errors = planErrors(source, exposed: ["a"])
        XCTAssertTrue(errors.first?.message.contains("anchored as &a") ?? false, "\(errors)")
    }

    func testDependsOnOfTheWrongTypeIsReported() {
        let source = "services:\n  caddy:\n    image: caddy\n  a:\n    image: a\n    depends_on: caddy\n"
        let errors = planErrors(source, exposed: ["a"])
        XCTAssertTrue(errors.first?.message.contains("a list/map of names") ?? false, "\(errors)")
        XCTAssertEqual(errors.first?.position?.line, 6)
    }

    func testLinesEndingInALoneCarriageReturnAreRefusedNotMisplaced() {
        // libyaml reads `\r` as a line break, the line arithmetic does not: an edit would land in another service.
        let errors = planErrors("services:\r  a:\r    image: x\r  caddy:\r    image: c\r", exposed: ["a"])
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.description.hasPrefix("docker-compose.yml:2:3: cannot add caddy to a's depends_on") ?? false, "\(errors)")
    }

    func testNotAComposeFile() {
        XCTAssertTrue(planErrors("- a\n- b\n", exposed: ["a"]).first?.message.contains("not a compose file") ?? false)
        XCTAssertTrue(planErrors("version: '3'\n", exposed: ["a"]).first?.message.contains("no `services:`") ?? false)
        XCTAssertTrue(planErrors("services: [a]\n", exposed: ["a"]).first?.message.contains("not a mapping") ?? false)
        let syntax = planErrors("services:\n  a: [\n", exposed: ["a"])
        XCTAssertTrue(syntax.first?.description.hasPrefix("docker-compose.yml:") ?? false, "\(syntax)")
    }
}
