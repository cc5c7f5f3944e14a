import Crypto
import EssentialsExtras

/// The signature reconcile sends with its own webhooks (the notification webhook, deploy/post-receive's
/// push): `sha256=` and the hex HMAC-SHA256 of the body, the form `X-Reconcile-Signature` is verified in.
public enum WebhookSignature {
    public static let header = "X-Reconcile-Signature"

    public static func sign(_ body: [UInt8], secret: [UInt8]) -> String {
        "sha256=" + Hex.encode(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)))
    }
}
