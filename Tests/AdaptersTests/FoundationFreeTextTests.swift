@testable import Adapters
import Foundation
import XCTest

/// Adapters' text handling without full Foundation (issue #24) answers as the Foundation code it replaced,
/// which is kept here as the reference.
final class FoundationFreeTextTests: XCTestCase {
    func testDockerFilterIsPercentEncodedAsFoundationDid() {
        for project in ["mapio", "my-stack_2", "a b", #"{"label":["com.docker.compose.project=x"]}"#, "é", ""] {
            XCTAssertEqual(DockerEngine.percentEncoded(project), project.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        }
    }

    func testCaddyErrorTextAsWithNSRegularExpression() throws {
        let reference = try NSRegularExpression(pattern: #"(^|[\s(,;])-:(\d+)"#)
        func old(_ output: String, config: String) -> String {
            var messages: [String] = []
            for line in output.split(whereSeparator: \.isNewline) {
                var message: String?
                if line.hasPrefix("{"), let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] {
                    if let level = object["level"] as? String, ["error", "fatal", "panic"].contains(level) {
                        message = [object["msg"] as? String, object["error"] as? String].compactMap { $0 }.joined(separator: ": ")
                    }
                } else if line.hasPrefix("Error: ") {
                    message = String(line.dropFirst("Error: ".count))
                }
                if let message, !message.isEmpty, !messages.contains(message) { messages.append(message) }
            }
            if messages.isEmpty { messages = output.split(whereSeparator: \.isNewline).suffix(3).map(String.init) }
            let text = messages.joined(separator: "; ").replacingOccurrences(of: "\n", with: " ")
                .replacingOccurrences(of: "/dev/stdin:", with: config + ":")
            return reference.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                      withTemplate: "$1\(NSRegularExpression.escapedTemplate(for: config)):$2")
        }
        let outputs = [
            "Error: adapting config using caddyfile: -:2: unrecognized directive: bogus",
            #"{"level":"error","ts":1.5,"msg":"adapting config","error":"parsing caddyfile tokens for 'x': -:3 - wrong argument count, at -:3"}"#,
            #"{"level":"info","msg":"using adjacent Caddyfile"}"# + "\n" + #"{"level":"fatal","msg":"boom\nsecond line\r\nthird"}"#,
            "Error: /dev/stdin:7: bad; (-:8,-:9) a-:10 x",
            "no error line\nat all\n-:1 here\nlast",
            "Error: $1 and \\ in -:4",
        ]
        for output in outputs {
            for config in ["/home/root/mapio/Caddyfile", "C$1\\x"] {
                XCTAssertEqual(CaddyCLIMessage.text(output, config: config), old(output, config: config), output)
            }
        }
    }
}
