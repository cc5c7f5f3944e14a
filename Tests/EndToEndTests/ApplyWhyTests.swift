import Foundation
import TestSupport
import XCTest
import Adapters
@testable import Controller
import StatusReport

/// Issue #27's "why, everywhere": each step of an apply names the changes that called for it and where the
/// desired state declares them, and the status report, the page and `apply --json` all render that one journal.
final class ApplyWhyTests: XCTestCase {
    func testEachStepOfAnApplySaysWhyTheSameWayInTheReportAndThePage() throws {
        let box = try BadInputBox(storageMode: false)
        let settings = ReconcileSettings(repo: box.repo.path, paths: .defaults(root: box.gateway.path))
        let journal = WorldJournal()
        let runtime = RuntimeSettings(caddy: .none, compose: ComposeSettings(), homeAssistant: .none, probes: nil)
        let result = ReconcileCycle.run(settings, options: .init(mode: .apply(runtime), report: true, publish: false),
                                        engineObserver: EngineObserverDouble(compose: InMemoryComposeDouble(journal: journal)))
        XCTAssertNil(result.error, result.error?.description ?? "")
        let outcome = try XCTUnwrap(result.applied)
        let caddyfile = box.url(of: .caddyfile).path
        let write = try XCTUnwrap(outcome.journal.first { $0.event == .wrote(path: caddyfile) })
        XCTAssertFalse(write.causes.isEmpty, "the Caddyfile's write carries its changes")
        let service = try XCTUnwrap(write.causes.compactMap(\.service).first)
        let declared = try XCTUnwrap(result.observation?.declaration(service))
        XCTAssertTrue(declared.hasPrefix("exposure.yaml:"), declared)
        let line = write.text(declaredAt: { result.observation?.declaration($0) })
        XCTAssertTrue(line.hasPrefix("wrote \(caddyfile) for "), line)
        XCTAssertTrue(line.contains("\(service) (\(declared))"), line)

        // One journal, three renderings: the report (and its Markdown), the page's history, the JSON document.
        let steps = try XCTUnwrap(result.report?.lastApplySteps)
        XCTAssertEqual(steps, outcome.journal.map { $0.text(declaredAt: { result.observation?.declaration($0) }) })
        XCTAssertTrue(StatusMarkdown.render(try XCTUnwrap(result.report)).contains("## What the last apply did"))
        XCTAssertEqual(result.page?.history.first?.steps, steps)

        // A converged apply keeps the last apply's steps in the report: no new status commit for doing nothing.
        let again = ReconcileCycle.run(settings, options: .init(mode: .apply(runtime), report: true, publish: false),
                                       engineObserver: EngineObserverDouble(compose: InMemoryComposeDouble(journal: journal)))
        XCTAssertEqual(again.applied?.result, .converged)
        XCTAssertEqual(again.report?.lastApplySteps, steps)
        XCTAssertNil(again.page?.history.first?.steps)
    }

    /// `apply --json` is one document: the plan, the journal with each step's causes, and no error.
    func testApplyJSONIsOneDocumentWithTheJournalAndItsCauses() throws {
        let box = try BadInputBox(storageMode: false)
        let result = try box.run(try reconcileBinary(), ["apply", "--no-runtime", "--json", "--no-publish-status"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
        XCTAssertNotNil(object["plan"] as? [String: Any])
        XCTAssertNil(object["error"])
        let apply = try XCTUnwrap(object["apply"] as? [String: Any])
        XCTAssertEqual(apply["result"] as? String, "applied")
        let journal = try XCTUnwrap(apply["journal"] as? [[String: Any]])
        let write = try XCTUnwrap(journal.first { $0["event"] as? String == "wrote" && ($0["text"] as? String)?.hasSuffix("Caddyfile") == true })
        let causes = try XCTUnwrap(write["because"] as? [[String: Any]])
        XCTAssertFalse(causes.isEmpty)
        XCTAssertTrue(causes.allSatisfy { ($0["declared_at"] as? String)?.hasPrefix("exposure.yaml:") == true }, "\(causes)")
        XCTAssertTrue(journal.contains { $0["event"] as? String == "left_to_user" }, "--no-runtime leaves Caddy's reload to the user")
    }
}
