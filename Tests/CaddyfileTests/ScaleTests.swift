import Caddyfile
import Diagnostics
import Foundation
import XCTest

/// A Caddyfile of 1,000 managed + 200 hand-written sites round-trips and edits correctly.
/// How fast is measured by the benchmark (`swift run -c release reconcile-bench plan`), not here.
final class ScaleTests: XCTestCase {
    static func desired(upstreamOffset: Int = 0) -> [ManagedSite] {
        (0..<1000).map { i in
            ManagedSite(name: "svc-\(i)", addresses: ["svc-\(i).home.example"], directives: [
                CaddyDirective(["encode", "gzip"]),
                CaddyDirective(["reverse_proxy", "10.0.\(i / 250).\(i % 250 + 1):\(8000 + upstreamOffset)"], children: [
                    CaddyDirective(["header_up", "X-Real-IP", "{remote_host}"]),
                ]),
            ])
        }
    }

    static func bigCaddyfile() -> [UInt8] {
        var text = "{\n\temail admin@home.example\n}\n\n(common) {\n\tencode gzip\n\theader -Server\n}\n"
        for i in 0..<200 {
            text += "\n# hand-written \(i)\nhand-\(i).home.example, www.hand-\(i).home.example {\n\timport common\n\treverse_proxy 10.1.0.\(i % 250 + 1):80 {\n\t\theader_up Host {host}\n\t}\n\trespond /health \"ok \(i)\" 200\n}\n"
        }
        return Array(text.utf8)
    }

    func testThousandManagedSitesRoundTripAndUpdate() throws {
        let handWritten = Self.bigCaddyfile()
        let start = try CaddyfileDocument.parse(handWritten, file: "big")
        let seeded = try CaddyfileEditor.apply(start, desired: Self.desired()).newBytes
        XCTAssertGreaterThan(seeded.count, 150_000)

        let changed = Self.desired(upstreamOffset: 1)
        let edit: CaddyfileEdit? = try CaddyfileEditor.apply(try CaddyfileDocument.parse(seeded, file: "big"), desired: changed)
        XCTAssertEqual(edit?.edits.count, 1000)
        XCTAssertTrue(edit?.edits.allSatisfy { $0.kind == .update } == true)

        let document = try CaddyfileDocument.parse(seeded, file: "big")
        XCTAssertEqual(document.managedBlocks.count, 1000)
        XCTAssertEqual(document.handWrittenSites.count, 200)
        XCTAssertEqual(document.render(), seeded)
    }
}
