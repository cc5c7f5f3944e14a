import XCTest
@testable import Planner

final class UnifiedDiffTests: XCTestCase {
    func testIdenticalInputsHaveNoDiff() {
        XCTAssertEqual(UnifiedDiff.render(old: Array("a\nb\n".utf8), new: Array("a\nb\n".utf8), path: "f"), "")
    }

    func testHunkHeadersAndContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n") + "added\n"
        let diff = UnifiedDiff.render(old: Array(old.utf8), new: Array(new.utf8), path: "f")
        XCTAssertEqual(diff, """
        --- f
        +++ f (planned)
        @@ -2,7 +2,7 @@
         line 2
         line 3
         line 4
        -line 5
        +line five
         line 6
         line 7
         line 8
        @@ -18,3 +18,4 @@
         line 18
         line 19
         line 20
        +added

        """)
    }

    func testEditScriptReproducesTheNewText() {
        let a = ["x", "a", "b", "c", "y", "z"]
        let b = ["a", "q", "c", "y", "w", "z", "k"]
        let ops = UnifiedDiff.editScript(a, b)
        var rebuiltOld: [String] = [], rebuiltNew: [String] = []
        for op in ops {
            switch op {
            case .keep(let line): rebuiltOld.append(line); rebuiltNew.append(line)
            case .delete(let line): rebuiltOld.append(line)
            case .insert(let line): rebuiltNew.append(line)
            }
        }
        XCTAssertEqual(rebuiltOld, a)
        XCTAssertEqual(rebuiltNew, b)
        XCTAssertEqual(ops.filter { if case .keep = $0 { return true } else { return false } }.count, 4, "a, c, y, z are common")
    }

    func testFileCreatedFromNothing() {
        let diff = UnifiedDiff.render(old: [], new: Array("a\n".utf8), path: "f")
        XCTAssertTrue(diff.contains("@@ -0,0 +1,1 @@\n+a\n"), diff)
    }
}
