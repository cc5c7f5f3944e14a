import Compose
import XCTest

/// Drift and "what to bring up" from a state value, without an engine.
final class ComposeRuntimeStateTests: XCTestCase {
    private func container(_ service: String, running: Bool = true, hash: String) -> ComposeContainer {
        ComposeContainer(id: "id-\(service)", name: "gw_\(service)_1", service: service, running: running,
                         status: running ? "running" : "exited", configHash: hash)
    }

    func testDriftNamesAStoppedProxyAndAStaleService() {
        let state = ComposeRuntimeState(
            containers: [container("caddy", running: false, hash: "c1"), container("jellyfin", hash: "old0000000000000"),
                         container("nextcloud", running: false, hash: "n1")],
            definitionHashes: ["caddy": "c1", "jellyfin": "new0000000000000", "nextcloud": "n1", "homeassistant": "h1"])
        XCTAssertEqual(state.drift(for: ["jellyfin", "nextcloud", "homeassistant"]), [
            "caddy is not running (exited)",
            "jellyfin's container is older than its definition (config hash old000000000, Compose now computes new000000000)",
            "nextcloud is not running (exited); reconcile leaves it stopped",
            "homeassistant has no container; reconcile leaves it so (it starts only caddy)",
        ])
    }

    func testConvergedProjectHasNoDriftAndNothingToBringUp() {
        let state = ComposeRuntimeState(containers: [container("caddy", hash: "c"), container("jellyfin", hash: "j")],
                                        definitionHashes: ["caddy": "c", "jellyfin": "j"])
        XCTAssertEqual(state.drift(for: ["jellyfin"]), [])
        XCTAssertEqual(state.servicesToBringUp(services: ["jellyfin"], hashes: state.definitionHashes), [], "hashes unchanged: nothing to recreate")
        XCTAssertTrue(state.isRunning("caddy"))
    }

    func testBringsUpTheProxyAndRecreatesOnlyRunningServicesWhoseHashChanged() {
        let state = ComposeRuntimeState(
            containers: [container("jellyfin", hash: "j"), container("nextcloud", running: false, hash: "n"), container("ha", hash: "h")],
            definitionHashes: ["caddy": "c", "jellyfin": "j", "nextcloud": "n", "ha": "h"])
        let edited = ["caddy": "c", "jellyfin": "j2", "nextcloud": "n2", "ha": "h"]
        XCTAssertEqual(state.servicesToBringUp(services: ["jellyfin", "nextcloud", "ha", "jellyfin"], hashes: edited), ["caddy", "jellyfin"],
                       "caddy has no container; nextcloud was left stopped by the user; ha did not change")
    }

    func testWithoutTheEditedHashesEveryRunningChangedServiceIsListed() {
        let state = ComposeRuntimeState(
            containers: [container("caddy", hash: "c"), container("jellyfin", hash: "j"), container("nextcloud", running: false, hash: "n")],
            definitionHashes: ["caddy": "c", "jellyfin": "j", "nextcloud": "n"])
        XCTAssertEqual(state.servicesToBringUp(services: ["jellyfin", "nextcloud"]), ["jellyfin"],
                       "a changed depends_on: v1 recreates, v2 leaves it; a stopped service stays stopped")
        XCTAssertEqual(state.servicesToBringUp(services: []), [], "converged and caddy up: no `up` at all")
    }
}
