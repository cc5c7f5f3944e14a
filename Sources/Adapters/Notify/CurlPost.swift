import EssentialsExtras
import FoundationEssentials
import Notifications

/// Sends an `OutgoingPost` with curl (HTTP and HTTPS with the system's CAs), as probes do. The URL, the
/// headers (tokens) and the body go in curl's config on standard input: nothing secret is on a command
/// line another user of the machine could read in /proc.
enum CurlPost {
    static func send(_ post: OutgoingPost, timeout: Double, target: String) throws(NotifyError) {
        let command = ["curl", "-q", "--config", "-"]
        let output: SubprocessOutput
        do {
            // curl stops itself at --max-time; the runner's deadline is the bound if it does not.
            output = try Subprocess.run(command, environment: ProcessInfo.processInfo.environment, input: config(post, timeout: timeout),
                                        timeout: .milliseconds(Int(timeout * 1000) + 500), kept: 64 << 10)
        } catch {
            throw NotifyError(target: target, reason: error.kind == .timedOut ? "no answer within \(timeout) s" : "cannot run curl: \(error.reason)",
                              retryable: true)
        }
        let code = Int(output.stdout.trimmingWhitespaceAndNewlines()) ?? 0
        if output.status != 0 || code == 0 {
            throw NotifyError(target: target, reason: curlFailure(output.status), retryable: true)
        }
        guard (200..<300).contains(code) else {
            throw NotifyError(target: target, reason: "answered HTTP \(code)", retryable: code >= 500 || code == 429 || code == 408)
        }
    }

    /// curl's exit codes that mean something to the owner; others by number (`man curl`).
    static func curlFailure(_ status: Int32) -> String {
        switch status {
        case 6: return "cannot resolve the host"
        case 7: return "connection refused"
        case 28: return "no answer in time"
        case 35, 60: return "TLS failed (certificate or handshake)"
        case 52: return "the server closed the connection without answering"
        case 56: return "the connection broke while receiving"
        default: return "curl exited \(status)"
        }
    }

    static func config(_ post: OutgoingPost, timeout: Double) -> [UInt8] {
        var lines = [
            "silent", "show-error", "request = \"POST\"", "proto = \"=http,https\"", "output = \"/dev/null\"",
            "write-out = \"%{http_code}\"", "max-time = \(timeout.fixed(places: 3))",
            "connect-timeout = \(min(timeout, 5).fixed(places: 3))",
            "url = \(quoted(post.url))",
        ]
        lines += post.headers.map { "header = \(quoted("\($0.name): \($0.value)"))" }
        lines.append("data-binary = \(quoted(String(decoding: post.body, as: UTF8.self)))")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// A curl config string: in double quotes, with \\ \" \n \r \t escaped; other C0 controls (none in our
    /// JSON, which escapes them) become spaces. DEL passes as it is: JSON leaves it raw, and changing it would
    /// change a body after it was signed.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar.value < 0x20 ? " " : scalar)
            }
        }
        return out + "\""
    }
}
