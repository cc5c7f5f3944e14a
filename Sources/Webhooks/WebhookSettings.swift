/// What the verifier needs to know: the shared secrets, the body limit, which branch is followed.
public struct WebhookSettings: Sendable, Hashable {
    /// Every accepted secret (one per line of the secrets file, so a secret can be rotated without a gap).
    public var secrets: [[UInt8]]
    /// Bodies over this many bytes are refused with 413. A push payload of a few commits is a few KB;
    /// GitHub caps its own at 25 MB, which no gateway should buffer.
    public var maxBodyBytes: Int
    /// The followed branch; nil when the remote's default branch is followed (any branch wakes the loop,
    /// which then fetches only the one it follows).
    public var branch: String?
    /// Pushes to it are ours (status reports): never a reason to reconcile, or we would loop.
    public var statusBranch: String
    /// How many delivery ids are remembered for replay detection.
    public var replayMemory: Int

    public static let defaultMaxBodyBytes = 1 << 20

    public init(secrets: [[UInt8]], maxBodyBytes: Int = WebhookSettings.defaultMaxBodyBytes, branch: String? = nil,
                statusBranch: String = "reconcile-status", replayMemory: Int = 4096) {
        self.secrets = secrets
        self.maxBodyBytes = maxBodyBytes
        self.branch = branch
        self.statusBranch = statusBranch
        self.replayMemory = replayMemory
    }

    /// Shortest secret accepted: one captured delivery (its body and HMAC) lets anyone try secrets offline
    /// at GPU speed, so a secret must be too long to guess (16 random bytes; `openssl rand -hex 32` gives 64).
    public static let minSecretBytes = 16
    /// Longest secret accepted: forges take secrets typed into a form; a longer line is a wrong file (a key, a log).
    public static let maxSecretBytes = 1024

    /// Why `secret` cannot be a webhook secret, or nil when it can.
    public static func problem(with secret: [UInt8]) -> String? {
        if secret.count < minSecretBytes {
            return "a secret is \(secret.count) bytes, under the minimum of \(minSecretBytes): one captured delivery lets anyone guess a short secret offline"
        }
        if secret.count > maxSecretBytes {
            return "a line is \(secret.count) bytes, over the maximum of \(maxSecretBytes): a webhook secret is one short line, is this the right file?"
        }
        return nil
    }

    /// The secrets file's text: each non-empty line (spaces trimmed) is a secret; nil when there is none.
    public static func secrets(fromFile text: [UInt8]) -> [[UInt8]]? {
        let lines = text.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        let secrets = lines.map { line in
            Array(line.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        }.filter { !$0.isEmpty }
        return secrets.isEmpty ? nil : secrets
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
