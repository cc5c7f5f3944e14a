import ArgumentParser
@testable import reconcile
import XCTest

/// The help a person reads first: whole sentences (argument-parser wraps them to the terminal, so a hard
/// newline in the source breaks a sentence in two), and every exit status `ReconcileExit` can give.
final class HelpTextTests: XCTestCase {
    /// The OVERVIEW part of the rendered help, wide enough that argument-parser wraps nothing itself.
    private func overview(_ command: ParsableCommand.Type) -> [Substring] {
        let help = command.helpMessage(columns: 2_000)
        let text = help.components(separatedBy: "USAGE:").first ?? help
        return text.split(separator: "\n").map { $0.drop { $0 == " " } }.filter { !$0.isEmpty }
    }

    private func assertWholeSentences(_ command: ParsableCommand.Type, file: StaticString = #filePath, line: UInt = #line) {
        for text in overview(command) {
            XCTAssertTrue(text.last.map { ".:)".contains($0) } ?? true, "\(command): a line ends mid-sentence: \(text)", file: file, line: line)
        }
    }

    func testServeHelpKeepsSentencesWholeAndNamesTheStatusPage() {
        assertWholeSentences(ServeCommand.self)
        let help = ServeCommand.helpMessage(columns: 2_000)
        XCTAssertTrue(help.contains("status page"), help)
        XCTAssertTrue(help.contains("status_page"), "the serve: keys include status_page: \(help)")
    }

    func testApplyHelpNamesEveryExitStatusAndBothWaysToCaddy() {
        assertWholeSentences(ApplyCommand.self)
        let help = ApplyCommand.helpMessage(columns: 2_000)
        for status in [0, ReconcileExit.failure.rawValue, ReconcileExit.rollbackFailed.rawValue, ReconcileExit.gitTimeout.rawValue] {
            XCTAssertTrue(help.contains(" \(status) "), "apply --help does not explain exit status \(status): \(help)")
        }
        XCTAssertTrue(help.contains("admin API") && help.contains("its container"), "auto is the admin API, else Caddy's CLI in its container: \(help)")
    }

    func testPlanHelpNamesEveryExitStatusAndVerbose() {
        assertWholeSentences(PlanCommand.self)
        let help = PlanCommand.helpMessage(columns: 2_000)
        for status in [0, ReconcileExit.pending.rawValue, ReconcileExit.failure.rawValue, ReconcileExit.gitTimeout.rawValue] {
            XCTAssertTrue(help.contains(" \(status) "), "plan --help does not explain exit status \(status): \(help)")
        }
        XCTAssertTrue(help.contains("--verbose"), help)
    }
}
