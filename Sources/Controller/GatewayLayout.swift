import Diagnostics
import FoundationEssentials
import Glibc

/// Many gateways, one exposure repo. A gateway reads exactly one file:
///
///     exposure.yaml            every gateway without a file of its own
///     gateways/<name>.yaml     gateway <name> only: a complete desired state that replaces exposure.yaml
///
/// No merging: what a gateway publishes is always one file, read top to bottom, and every message points
/// into that file. (example-repo/README.md explains it for users.)
public enum GatewayLayout {
    public static let sharedFile = "exposure.yaml"
    public static let gatewaysFolder = "gateways"

    public static func gatewayFile(_ gateway: String) -> String { "\(gatewaysFolder)/\(gateway).yaml" }

    /// The file `gateway` reads in the checkout at `repo`, relative to it.
    public static func desiredFile(repo: String, gateway: String) -> String {
        let own = gatewayFile(gateway)
        let path = (repo.hasSuffix("/") ? repo : repo + "/") + own
        // lstat: a link there is this gateway's file too (then refused as a link, not silently skipped).
        var info = stat()
        return lstat(path, &info) == 0 ? own : sharedFile
    }

    /// Lower-case letters, digits, `.`, `-`, `_`, starting with a letter or digit, at most 63 characters:
    /// safe as a file name, a folder on the status branch, and a Mermaid label.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        let isAlphanumeric = { (c: UInt8) in (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return isAlphanumeric(first) && name.utf8.allSatisfy { isAlphanumeric($0) || $0 == 45 || $0 == 46 || $0 == 95 }
    }

    public static func validate(gateway name: String) throws(ReconcileError) {
        guard isValidName(name) else {
            throw .invalidInput(DiagnosticList([Diagnostic(
                file: "--gateway", position: nil, message: "'\(name)' is not a valid gateway name",
                hint: "lower-case letters, digits, '.', '-' and '_', starting with a letter or digit, at most 63 characters")]), reason: .invalidSettings)
        }
    }

    /// The host name, made into a valid gateway name (lower-cased, other characters replaced by '-').
    public static func defaultGatewayName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        var name = String(host.lowercased().map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "-"
        }.prefix(63))
        while let first = name.first, !(first.isLetter || first.isNumber) { name.removeFirst() }
        return name.isEmpty ? "gateway" : name
    }
}
