import Caddyfile
import Diagnostics
import XCTest

/// A large desired state is checked and rendered over the cores; the problem reported must still be the
/// first one in the order the sites are given, as a check of one site after the other would find it.
final class EditorOrderTests: XCTestCase {
    let document = parse(bytes(""))!

    func sites(_ count: Int) -> [ManagedSite] {
        (0..<count).map { TestSites.proxy("svc-\($0)", "svc-\($0).example.com", "h:\(10_000 + $0)") }
    }

    func problem(_ desired: [ManagedSite]) -> String? {
        do {
            _ = try CaddyfileEditor.apply(document, desired: desired)
            return nil
        } catch {
            return error.message
        }
    }

    func testTheFirstProblemInOrderIsReported() {
        var desired = sites(1_000)
        desired[700].addresses = ["bad address"]              // refused by the site check
        desired[300] = TestSites.proxy("svc-10", "x.example.com", "h:1")  // a name declared twice
        XCTAssertEqual(problem(desired), "service 'svc-10' is declared twice")

        desired = sites(1_000)
        desired[300].addresses = ["bad address"]
        desired[700] = TestSites.proxy("svc-10", "x.example.com", "h:1")
        XCTAssertEqual(problem(desired), "service 'svc-300': site address 'bad address' cannot be written in a Caddyfile as one address")

        desired = sites(1_000)
        desired[999].addresses = ["svc-0.example.com"]        // a host declared twice, at the very end
        desired[998].directives = [CaddyDirective([])]       // refused by the site check just before it
        XCTAssertEqual(problem(desired), "service 'svc-998': a directive needs a name")
    }

    /// Every site is rendered in its place, whichever core rendered it.
    func testALargeStateIsWrittenInOrder() throws {
        let desired = sites(1_000)
        let edit = try CaddyfileEditor.apply(document, desired: desired)
        let expected = desired.map { text(ManagedBlockRenderer.render($0)) }.joined(separator: "\n")
        XCTAssertEqual(text(edit.newBytes), expected)
        XCTAssertEqual(edit.edits.map(\.name), desired.map(\.name))
    }
}
