import Crypto
import FuzzSupport
import Webhooks

// Properties of the webhook verifier on any request. The input is `Name: value` header lines, a blank
// line, then the body (no blank line: all headers, empty body).
// 1. Any bytes give a verdict, and its status is one of 202, 400, 401, 413.
// 2. Nothing unauthenticated is let through: a 202 means the request carried a valid HMAC of this very
//    body under the secret, or the GitLab token equal to it.
// 3. The same body signed with the secret (GitHub form) is never refused as unauthorized, and once one
//    byte of it changes, it is.
// 4. An accepted push names the followed branch (or, in the generic form, no ref at all); the status
//    branch never wakes the loop.
// 5. The sender's message never carries the secret (unless the sender wrote it).
let secret = Array("fuzz-secret-7f3a".utf8)
let settings = WebhookSettings(secrets: [secret], maxBodyBytes: 4096, branch: "main", statusBranch: "reconcile-status")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzInput(data, size)
    let (headers, body) = split(input)
    let verdict = WebhookVerifier.verdict(headers: headers, body: body, settings: settings)
    require([202, 400, 401, 413].contains(verdict.httpStatus), "status \(verdict.httpStatus)")
    // A header the sender wrote may be echoed ("'x' is not a push event"); the secret itself never is.
    let senderKnowsSecret = String(decoding: input, as: UTF8.self).contains("fuzz-secret")
    require(senderKnowsSecret || !verdict.message.contains("fuzz-secret"), "the message leaks the secret: \(verdict.message)")
    if verdict.httpStatus == 202 {
        require(carriesValidAuthentication(headers, body), "202 without a valid signature: \(headers) \(show(body))")
    }
    checkAccepted(verdict)

    guard body.count <= settings.maxBodyBytes else { return 0 }
    let signed = [(name: "X-Hub-Signature-256", value: "sha256=" + hex(mac(body)))]
        + headers.filter { $0.name.lowercased() != "x-hub-signature-256" && !isSignatureHeader($0.name) }
    let good = WebhookVerifier.verdict(headers: signed, body: body, settings: settings)
    if case .unauthorized(let reason) = good {
        require(false, "a correctly signed body is refused: \(reason) \(show(body))")
    }
    checkAccepted(good)
    if !body.isEmpty {
        var tampered = body
        tampered[tampered.count / 2] ^= 0x01
        let bad = WebhookVerifier.verdict(headers: signed, body: tampered, settings: settings)
        require(bad.httpStatus == 401 || bad.httpStatus == 413, "a tampered body is not refused: \(bad)")
    }
    return 0
}

func checkAccepted(_ verdict: WebhookVerdict) {
    guard case .accepted(let delivery) = verdict else { return }
    if let ref = delivery.ref {
        require(ref == "refs/heads/main", "accepted a push to \(ref)")
    } else {
        require(delivery.forge == .generic, "accepted a \(delivery.forge) delivery without a ref")
    }
}

func isSignatureHeader(_ name: String) -> Bool {
    ["x-gitea-signature", "x-forgejo-signature", "x-reconcile-signature", "x-gitlab-token"].contains(name.lowercased())
}

func carriesValidAuthentication(_ headers: [(name: String, value: String)], _ body: [UInt8]) -> Bool {
    let expected = hex(mac(body))
    return headers.contains { header in
        let value = header.value.trimmingSpaces.lowercased()
        switch header.name.lowercased() {
        case "x-hub-signature-256", "x-reconcile-signature": return value == "sha256=" + expected
        case "x-gitea-signature", "x-forgejo-signature": return value == expected
        case "x-gitlab-token": return Array(header.value.utf8) == secret
        default: return false
        }
    }
}

func mac(_ body: [UInt8]) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))) }

func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
}

/// `Name: value` lines up to the first blank line; the rest is the body.
func split(_ bytes: [UInt8]) -> ([(name: String, value: String)], [UInt8]) {
    var headers: [(name: String, value: String)] = []
    var start = 0
    while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        start = min(end + 1, bytes.count)
        if line.isEmpty || line == "\r" { return (headers, Array(bytes[start...])) }
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
    }
    return (headers, [])
}

extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }
}
