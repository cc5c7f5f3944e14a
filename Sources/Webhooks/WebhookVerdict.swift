/// What the endpoint answers to one delivery, decided before anything else happens.
/// Only `.accepted` wakes the reconcile loop; the payload itself is never used for content.
public enum WebhookVerdict: Sendable, Hashable {
    /// A signed push to the followed branch: wake the loop (202).
    case accepted(WebhookDelivery)
    /// Signed and well-formed, but nothing to do: another branch, the status branch, a tag, a ping,
    /// a delivery already seen (202, no reconcile).
    case ignored(WebhookDelivery, reason: String)
    /// A missing, unknown or wrong signature or token (401).
    case unauthorized(reason: String)
    /// The body is over the limit (413).
    case tooLarge(limit: Int)
    /// Signed, but not a payload we can read (400).
    case unreadable(reason: String)

    public var httpStatus: Int {
        switch self {
        case .accepted, .ignored: return 202
        case .unauthorized: return 401
        case .tooLarge: return 413
        case .unreadable: return 400
        }
    }

    /// A label for metrics and logs: accepted, ignored, unauthorized, too_large, unreadable.
    public var label: String {
        switch self {
        case .accepted: return "accepted"
        case .ignored: return "ignored"
        case .unauthorized: return "unauthorized"
        case .tooLarge: return "too_large"
        case .unreadable: return "unreadable"
        }
    }

    /// The one line a sender sees: it says what was wrong with the request, nothing about the gateway.
    public var message: String {
        switch self {
        case .accepted: return "accepted: a reconcile is queued"
        case .ignored(_, let reason): return "ignored: \(reason)"
        case .unauthorized(let reason): return "unauthorized: \(reason)"
        case .tooLarge(let limit): return "too large: the limit is \(limit) bytes"
        case .unreadable(let reason): return "unreadable: \(reason)"
        }
    }

    public var delivery: WebhookDelivery? {
        switch self {
        case .accepted(let delivery), .ignored(let delivery, _): return delivery
        default: return nil
        }
    }
}

/// The facts of an authenticated delivery that the daemon logs.
public struct WebhookDelivery: Sendable, Hashable {
    public var forge: Forge
    /// The forge's delivery id, when it sends one.
    public var id: String?
    /// The pushed ref (`refs/heads/main`), when the payload names one.
    public var ref: String?

    public init(forge: Forge, id: String?, ref: String?) {
        self.forge = forge
        self.id = id
        self.ref = ref
    }
}

/// Which signing scheme a delivery uses, found from its headers.
public enum Forge: String, Sendable, Hashable, CaseIterable {
    /// `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`, `X-GitHub-Delivery`, `X-GitHub-Event`.
    case github
    /// `X-Gitea-Signature: <hex HMAC-SHA256>`, `X-Gitea-Delivery`, `X-Gitea-Event`.
    case gitea
    /// `X-Forgejo-Signature: <hex HMAC-SHA256>`, `X-Forgejo-Delivery`, `X-Forgejo-Event`.
    case forgejo
    /// `X-Gitlab-Token: <the secret itself>`, `X-Gitlab-Event-UUID`, `X-Gitlab-Event`.
    case gitlab
    /// `X-Reconcile-Signature: sha256=<hex HMAC-SHA256>`, `X-Reconcile-Delivery`: deploy/post-receive and scripts.
    case generic
}
