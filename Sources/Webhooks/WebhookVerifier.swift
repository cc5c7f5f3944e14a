import Crypto
import EssentialsExtras
import FoundationEssentials

/// Decides what one webhook delivery is worth: bytes in, a verdict out, no I/O. The order matters:
/// size first (nothing big is hashed), then the signature (nothing unauthenticated is parsed or
/// remembered), then the payload, then replay and branch. Any bytes give a verdict; none crash.
public struct WebhookVerifier: Sendable {
    public let settings: WebhookSettings
    public private(set) var replay: ReplayMemory

    public init(settings: WebhookSettings) {
        self.settings = settings
        replay = ReplayMemory(capacity: settings.replayMemory)
    }

    /// One delivery judged on its own, with no replay memory: the entry point for a fuzzer.
    public static func verdict(headers: [(name: String, value: String)], body: [UInt8], settings: WebhookSettings) -> WebhookVerdict {
        var verifier = WebhookVerifier(settings: settings)
        return verifier.verify(headers: headers, body: body)
    }

    /// `headers` as received (names in any case, repeated names allowed), `body` as received.
    public mutating func verify(headers: [(name: String, value: String)], body: [UInt8]) -> WebhookVerdict {
        let headers = Headers(headers)
        if body.count > settings.maxBodyBytes { return .tooLarge(limit: settings.maxBodyBytes) }
        if let length = headers.single("content-length").flatMap({ Int($0.trimmingWhitespace()) }),
           length > settings.maxBodyBytes {
            return .tooLarge(limit: settings.maxBodyBytes)
        }
        let forge: Forge
        switch authenticate(headers, body: body) {
        case .success(let found): forge = found
        case .failure(let problem): return .unauthorized(reason: problem.reason)
        }
        let id = deliveryID(forge, headers)
        var delivery = WebhookDelivery(forge: forge, id: id, ref: nil)
        let payload: Payload
        switch Payload.parse(body) {
        case .success(let parsed): payload = parsed
        case .failure(let problem): return .unreadable(reason: problem.reason)
        }
        delivery.ref = payload.ref
        // The id is not covered by the signature: the signed body is remembered too, so a captured delivery
        // replayed with a new or no id is still a replay.
        let bodySeen = !replay.insert("sha256:" + Hex.encode(Array(SHA256.hash(data: body))))
        if let id, !replay.insert(id) { return .ignored(delivery, reason: "delivery \(id) was already received") }
        if bodySeen { return .ignored(delivery, reason: "this signed body was already received") }
        if let event = event(forge, headers), !Self.isPush(event, forge: forge) {
            return .ignored(delivery, reason: "'\(event)' is not a push event")
        }
        guard let ref = payload.ref else {
            // Only the generic form may omit the ref: it is a plain "something changed, look".
            return forge == .generic ? .accepted(delivery) : .ignored(delivery, reason: "the payload names no pushed ref")
        }
        guard ref.hasPrefix("refs/heads/") else { return .ignored(delivery, reason: "\(ref) is not a branch") }
        let branch = String(ref.dropFirst("refs/heads/".count))
        if branch == settings.statusBranch {
            return .ignored(delivery, reason: "\(branch) is the status branch, written by reconcile itself")
        }
        if let followed = settings.branch, branch != followed {
            return .ignored(delivery, reason: "\(branch) is not the followed branch")
        }
        return .accepted(delivery)
    }

    struct Problem: Error { var reason: String }

    /// The forge whose signature header is present and valid for one of the secrets.
    func authenticate(_ headers: Headers, body: [UInt8]) -> Result<Forge, Problem> {
        let schemes: [(Forge, String, prefix: String?)] = [
            (.forgejo, "x-forgejo-signature", nil), (.gitea, "x-gitea-signature", nil),
            (.github, "x-hub-signature-256", "sha256="), (.generic, "x-reconcile-signature", "sha256="),
        ]
        for (forge, name, prefix) in schemes {
            let values = headers.all(name)
            guard !values.isEmpty else { continue }
            guard values.count == 1 else { return .failure(Problem(reason: "\(name) is sent more than once")) }
            var text = Substring(values[0].trimmingWhitespace())
            if let prefix {
                guard text.lowercased().hasPrefix(prefix) else {
                    return .failure(Problem(reason: "\(name) must be '\(prefix)' followed by the hex HMAC-SHA256 of the body"))
                }
                text = text.dropFirst(prefix.count)
            }
            guard let given = Hex.decode(text), given.count == SHA256.byteCount else {
                return .failure(Problem(reason: "\(name) is not a hex HMAC-SHA256"))
            }
            let matches = settings.secrets.contains { secret in
                let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
                return ConstantTime.equal(Array(mac), given)
            }
            return matches ? .success(forge) : .failure(Problem(reason: "the signature does not match"))
        }
        let tokens = headers.all("x-gitlab-token")
        if !tokens.isEmpty {
            guard tokens.count == 1 else { return .failure(Problem(reason: "x-gitlab-token is sent more than once")) }
            let given = Array(tokens[0].utf8)
            let matches = settings.secrets.reduce(false) { $0 || ConstantTime.equal($1, given) }
            return matches ? .success(.gitlab) : .failure(Problem(reason: "the token does not match"))
        }
        return .failure(Problem(reason: "no signature: send X-Hub-Signature-256, X-Gitea-Signature, X-Forgejo-Signature, X-Gitlab-Token or X-Reconcile-Signature"))
    }

    func deliveryID(_ forge: Forge, _ headers: Headers) -> String? {
        let names: [String]
        switch forge {
        case .github: names = ["x-github-delivery"]
        case .gitea: names = ["x-gitea-delivery"]
        case .forgejo: names = ["x-forgejo-delivery", "x-gitea-delivery"]
        case .gitlab: names = ["x-gitlab-event-uuid", "idempotency-key"]
        case .generic: names = ["x-reconcile-delivery"]
        }
        // Scoped by forge, so two forges' ids never collide.
        return names.lazy.compactMap { headers.single($0) }.first.flatMap { $0.isEmpty ? nil : "\(forge.rawValue):\($0)" }
    }

    func event(_ forge: Forge, _ headers: Headers) -> String? {
        switch forge {
        case .github: return headers.single("x-github-event")
        case .gitea: return headers.single("x-gitea-event")
        case .forgejo: return headers.single("x-forgejo-event") ?? headers.single("x-gitea-event")
        case .gitlab: return headers.single("x-gitlab-event")
        case .generic: return headers.single("x-reconcile-event")
        }
    }

    static func isPush(_ event: String, forge: Forge) -> Bool {
        forge == .gitlab ? event == "Push Hook" : event.lowercased() == "push"
    }
}

/// Header lookup by lower-cased name.
struct Headers {
    private var values: [String: [String]] = [:]

    init(_ pairs: [(name: String, value: String)]) {
        for (name, value) in pairs { values[name.lowercased(), default: []].append(value) }
    }

    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The value when the header is sent exactly once.
    func single(_ name: String) -> String? {
        let found = all(name)
        return found.count == 1 ? found[0] : nil
    }
}

/// The only thing read from a payload: the pushed ref, to filter branches. Its content is never trusted
/// for anything else: the loop fetches the repository itself.
struct Payload {
    var ref: String?

    static func parse(_ body: [UInt8]) -> Result<Payload, WebhookVerifier.Problem> {
        // The generic form may be empty ("look now").
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success(Payload(ref: nil)) }
        guard let object = JSONValue.parse(body)?.object else {
            return .failure(.init(reason: "the body is not a JSON object"))
        }
        guard let value = object["ref"] else { return .success(Payload(ref: nil)) }
        guard let ref = value.string else { return .failure(.init(reason: "'ref' is not a string")) }
        return .success(Payload(ref: ref))
    }
}
