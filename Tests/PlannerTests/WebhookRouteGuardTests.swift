import XCTest
import DesiredState
import Caddyfile
import HomeAssistant
@testable import Planner

final class WebhookRouteGuardTests: XCTestCase {
    let route = WebhookRoute(host: "hook.example.com", path: "/hooks/reconcile", upstream: "127.0.0.1:9797")

    func routes(_ caddyfile: String) -> Bool { WebhookRouteGuard.routes(Array(caddyfile.utf8), route, file: "Caddyfile") }

    func plan(_ services: [(String, String, String)], caddyfile: String, route: WebhookRoute?) throws -> Plan {
        var text = "domain: example.com\nservices:\n"
        for (name, host, upstream) in services { text += "  \(name):\n    host: \"\(host)\"\n    upstream: \(upstream)\n" }
        let state = try DesiredStateParser.parse(Array(text.utf8), file: "exposure.yaml")
        var inputs = PlanInputs(desired: state, summary: DesiredSummary(file: "exposure.yaml", domain: state.domain, services: []),
                                caddyfile: LiveFile(path: "Caddyfile", bytes: Array(caddyfile.utf8)),
                                homeAssistant: HomeAssistantInput(configurationYAML: nil, storageHTTP: nil),
                                composeFile: LiveFile(path: "compose.yml", bytes: nil))
        inputs.webhookRoute = route
        return try Planner.plan(inputs)
    }

    func testShapesThatRouteTheWebhook() {
        XCTAssertTrue(routes("hook.example.com {\n\treverse_proxy 127.0.0.1:9797\n}\n"))
        XCTAssertTrue(routes("https://hook.example.com:443, other.example.com {\n\treverse_proxy http://127.0.0.1:9797\n}\n"))
        XCTAssertTrue(routes("hook.example.com {\n\treverse_proxy /hooks/* 127.0.0.1:9797\n\trespond 404\n}\n"))
        XCTAssertTrue(routes("hook.example.com {\n\thandle /hooks/reconcile {\n\t\treverse_proxy 127.0.0.1:9797\n\t}\n\trespond 404\n}\n"))
        XCTAssertTrue(routes("hook.example.com {\n\t@hook path /hooks/*\n\treverse_proxy @hook 127.0.0.1:9797\n}\n"))
        XCTAssertTrue(routes("hook.example.com {\n\treverse_proxy {\n\t\tto 127.0.0.1:9797\n\t}\n}\n"))
    }

    func testShapesThatDoNot() {
        XCTAssertFalse(routes(""))
        XCTAssertFalse(routes("other.example.com {\n\treverse_proxy 127.0.0.1:9797\n}\n"), "another host")
        XCTAssertFalse(routes("hook.example.com {\n\treverse_proxy 127.0.0.1:8080\n}\n"), "another upstream")
        XCTAssertFalse(routes("hook.example.com {\n\treverse_proxy /api/* 127.0.0.1:9797\n}\n"), "another path")
        XCTAssertFalse(routes("hook.example.com {\n\t@hook path /api/*\n\treverse_proxy @hook 127.0.0.1:9797\n}\n"))
        XCTAssertFalse(routes("http://hook.example.com {\n\treverse_proxy 127.0.0.1:9797\n}\n"), "plain HTTP is another site")
        XCTAssertFalse(routes("hook.example.com {\n\treverse_proxy 127.0.0.1:9797\n"), "a Caddyfile Caddy would refuse routes nothing")
    }

    /// Declared as a service, then removed from the repo: the prune would cut the webhook, so the plan is refused.
    func testAPlanThatPrunesTheWebhookSiteIsRefusedWithAnExplanation() throws {
        let withHook = try plan([("hook", "hook", "127.0.0.1:9797"), ("app", "app", "h:1")], caddyfile: "", route: route)
        let written = String(decoding: try XCTUnwrap(withHook.targets[0].newContent), as: UTF8.self)
        XCTAssertTrue(routes(written), "the managed block routes the webhook")
        // Other warnings (the preflight's "open to everyone") may stand; none is about the webhook.
        XCTAssertFalse(withHook.targets[0].warnings.contains { $0.description.contains("webhook") }, "routed after the plan: no webhook warning: \(withHook.targets[0].warnings)")
        do {
            _ = try plan([("app", "app", "h:1")], caddyfile: written, route: route)
            XCTFail("a plan that cuts the webhook route was accepted")
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.contains("would cut the route to reconcile's own webhook"), text)
            XCTAssertTrue(text.contains("https://hook.example.com/hooks/reconcile"), text)
            XCTAssertTrue(text.contains("serve.webhook_host"), "the hint names the way out: \(text)")
        }
        // Moving its upstream away cuts it too.
        XCTAssertThrowsError(try plan([("hook", "hook", "127.0.0.1:1"), ("app", "app", "h:1")], caddyfile: written, route: route))
        // Without the setting, the same plan goes through: the guard only protects a declared route.
        XCTAssertNoThrow(try plan([("app", "app", "h:1")], caddyfile: written, route: nil))
    }

    /// A hand-written webhook site is never ours to remove; other changes go through.
    func testAHandWrittenRouteIsKeptAndOtherChangesPass() throws {
        let hand = "hook.example.com {\n\treverse_proxy 127.0.0.1:9797\n}\n"
        let result = try plan([("app", "app", "h:1")], caddyfile: hand, route: route)
        XCTAssertTrue(result.hasChanges)
        XCTAssertTrue(routes(String(decoding: try XCTUnwrap(result.targets[0].newContent), as: UTF8.self)))
    }

    /// Not routed before either (a first setup): a warning, not a refusal.
    func testANeverRoutedWebhookIsAWarning() throws {
        let result = try plan([("app", "app", "h:1")], caddyfile: "", route: route)
        let caddy = try XCTUnwrap(result.targets.first { $0.kind == .caddyfile })
        XCTAssertTrue(caddy.warnings.contains { $0.description.contains("is not routed to 127.0.0.1:9797") }, "\(caddy.warnings)")
    }

    func testPathMatcher() {
        XCTAssertTrue(WebhookRouteGuard.pathMatches("/hooks/*", "/hooks/reconcile"))
        XCTAssertTrue(WebhookRouteGuard.pathMatches("*/reconcile", "/hooks/reconcile"))
        XCTAssertTrue(WebhookRouteGuard.pathMatches("*", "/x"))
        XCTAssertFalse(WebhookRouteGuard.pathMatches("/hooks", "/hooks/reconcile"))
    }
}
