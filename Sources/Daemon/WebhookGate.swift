import Synchronization
import Webhooks

/// The verifier behind a lock: deliveries arrive on several event loops, and replay memory is shared.
public final class WebhookGate: Sendable {
    private let verifier: Mutex<WebhookVerifier>
    public let maxBodyBytes: Int

    public init(settings: WebhookSettings) {
        verifier = Mutex(WebhookVerifier(settings: settings))
        maxBodyBytes = settings.maxBodyBytes
    }

    public func verify(headers: [(name: String, value: String)], body: [UInt8]) -> WebhookVerdict {
        verifier.withLock { $0.verify(headers: headers, body: body) }
    }
}
