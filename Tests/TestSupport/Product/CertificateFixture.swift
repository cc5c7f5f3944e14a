import Foundation
import TestSupportCore
import XCTest

/// Certificates made by the real `openssl`, as a CA would hand them out (PEM).
public enum CertificateFixture {
    /// A self-signed certificate for `names`, valid from now for `days` days, its issuer named `issuer`.
    public static func pem(_ names: [String], days: Int = 90, issuer: String = "Test CA") throws -> [UInt8] {
        let scratch = TemporaryDirectory(prefix: "reconcile-cert")
        let san = names.map { "DNS:\($0)" }.joined(separator: ",")
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/openssl"),
                                    ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                     "-keyout", scratch.sub("key.pem"), "-out", scratch.sub("cert.pem"), "-days", String(days),
                                     "-subj", "/O=\(issuer)/CN=\(issuer)", "-addext", "subjectAltName=\(san)"])
        XCTAssertEqual(result.status, 0, result.output)
        return Array(try Data(contentsOf: URL(fileURLWithPath: scratch.sub("cert.pem"))))
    }
}
