import Adapters
import Controller
import Diagnostics
import FoundationEssentials
import Planner

/// `apply --json`: one document for machines: the plan, what the apply did (its journal, with why), and the
/// error that stopped it, with its reason. Stable key order, like the plan's.
enum ApplyJSONRenderer {
    struct Document: Encodable {
        var plan: Plan?
        var apply: Apply?
        var error: Failure?
    }

    struct Apply: Encodable {
        var result: String
        var journal: [Entry]
        var probes: [Probe]
        var failedStep: String?
        var rollbackProblems: [String]

        enum CodingKeys: String, CodingKey { case result, journal, probes, failedStep = "failed_step", rollbackProblems = "rollback_problems" }
    }

    struct Entry: Encodable {
        var event: String
        var undoing: Bool
        var text: String
        var because: [Cause]
    }

    struct Cause: Encodable {
        var change: String
        var service: String?
        var liveLines: String?
        var declaredAt: String?

        enum CodingKeys: String, CodingKey { case change, service, liveLines = "live_lines", declaredAt = "declared_at" }
    }

    struct Probe: Encodable {
        var host: String
        var passed: Bool
        var status: Int?
        var detail: String
    }

    struct Failure: Encodable {
        var reason: String
        var retryable: Bool
        var message: String
        var diagnostics: [Diagnostic]
    }

    static func render(_ result: ReconcileCycle.Result) -> String {
        let declaredAt = { (service: String) in result.observation?.declaration(service) }
        var document = Document(plan: result.plan)
        if let outcome = result.applied {
            document.apply = Apply(
                result: outcome.result.rawValue,
                journal: outcome.journal.map { entry in
                    Entry(event: entry.name, undoing: entry.undoing, text: entry.text, because: entry.causes.map { change in
                        Cause(change: "\(change.kind.symbol) \(change.summary)", service: change.service, liveLines: change.lines?.description,
                              declaredAt: change.service.flatMap(declaredAt))
                    })
                },
                probes: outcome.probes.map { Probe(host: $0.host, passed: $0.passed, status: $0.status, detail: $0.detail) },
                failedStep: outcome.failedStep.map { [$0.name, $0.object].compactMap { $0 }.joined(separator: " ") },
                rollbackProblems: outcome.rollbackProblems.map(\.description))
        }
        if let error = result.error {
            var diagnostics: [Diagnostic] = []
            if case .invalidInput(let list, _) = error { diagnostics = list.diagnostics }
            document.error = Failure(reason: error.reason.rawValue, retryable: error.isRetryable, message: error.description, diagnostics: diagnostics)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(document) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
