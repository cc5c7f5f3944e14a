import Adapters
import Caddyfile
import DesiredState
import HomeAssistant
import Webhooks
import YAMLEdit

/// Every bound reconcile puts on what comes from outside, in one list: sizes, counts, nesting, and the
/// time of every subprocess and network call. Each value is read from where it is enforced, so this list
/// cannot drift from the code; docs/guarantees.md shows the same table (`BoundsDocumentTests` checks it).
public enum ReconcileBounds {
    public struct Bound: Sendable, Hashable {
        /// Where it is defined in the code.
        public let name: String
        public let value: String
        /// The option or settings-file key that changes it, if any.
        public let setting: String?
        public let bounds: String
    }

    public static var all: [Bound] {
        let yaml = YAMLLimits.default, desired = DesiredStateLimits.default
        let compose = ComposeRuntime.Settings(), readiness = HomeAssistantReadiness(), probe = ProbeSettings()
        let webhook = WebhookSettings(secrets: [])
        return [
            Bound(name: "LiveFileReader.defaultMaxBytes", value: bytes(LiveFileReader.defaultMaxBytes), setting: nil,
                  bounds: "size of every file read: live files and the desired state"),
            Bound(name: "DesiredStateLimits.maxFileBytes", value: bytes(desired.maxFileBytes), setting: nil, bounds: "size of the desired-state file"),
            Bound(name: "DesiredStateLimits.maxServices", value: "\(desired.maxServices)", setting: nil, bounds: "services one gateway may expose"),
            Bound(name: "YAMLLimits.maxBytes", value: bytes(yaml.maxBytes), setting: nil, bounds: "size of a YAML file parsed"),
            Bound(name: "YAMLLimits.maxDepth", value: "\(yaml.maxDepth)", setting: nil, bounds: "nesting of YAML mappings and sequences"),
            Bound(name: "YAMLLimits.maxAliases", value: "\(yaml.maxAliases)", setting: nil, bounds: "aliases in one YAML file (never expanded)"),
            Bound(name: "CaddyfileLimits.maxDepth", value: "\(CaddyfileLimits.maxDepth)", setting: nil, bounds: "nesting of Caddyfile blocks"),
            Bound(name: "StorageJSONLimits.maxDepth", value: "\(StorageJSONLimits.maxDepth)", setting: nil, bounds: "nesting of .storage/http"),
            Bound(name: "HTTPClient.maxResponseBytes", value: bytes(HTTPClient.maxResponseBytes), setting: nil, bounds: "size of an HTTP response read"),
            Bound(name: "GitNetworkDeadline.defaultSeconds", value: seconds(GitNetworkDeadline.defaultSeconds), setting: "--git-timeout, git_timeout",
                  bounds: "each git connect, fetch or push"),
            Bound(name: "CaddyAdmin.timeout", value: seconds(CaddyAdmin().timeout), setting: nil, bounds: "each request to Caddy's admin API (adapt, load)"),
            Bound(name: "CaddyContainerCLI.timeout", value: duration(CaddyContainerCLI.defaultTimeout), setting: nil,
                  bounds: "each `docker exec … caddy` (version, adapt --validate, reload)"),
            Bound(name: "CaddyContainerLocator.timeout", value: duration(CaddyContainerLocator.defaultTimeout), setting: nil,
                  bounds: "each `docker ps` looking for Caddy's container"),
            Bound(name: "DockerEngine.timeout", value: seconds(DockerEngine().timeout), setting: nil, bounds: "each request to the Docker engine's socket"),
            Bound(name: "ComposeRuntime.Settings.queryTimeout", value: duration(compose.queryTimeout), setting: nil,
                  bounds: "each compose command that reads or checks (version, config -q, ps)"),
            Bound(name: "ComposeRuntime.Settings.upTimeout", value: duration(compose.upTimeout), setting: nil, bounds: "each `compose up -d --no-deps`"),
            Bound(name: "HomeAssistantControl.commandTimeout", value: duration(HomeAssistantControl(stop: [], start: [], restart: []).commandTimeout),
                  setting: nil, bounds: "each Home Assistant stop, start or restart command"),
            Bound(name: "HomeAssistantReadiness.timeout", value: duration(readiness.timeout), setting: nil, bounds: "waiting for Home Assistant to answer again"),
            Bound(name: "HomeAssistantReadiness.requestTimeout", value: duration(readiness.requestTimeout), setting: nil, bounds: "each readiness request"),
            Bound(name: "ProbeSettings.timeout", value: seconds(probe.timeout), setting: "--probe-timeout, probe_timeout", bounds: "each probe request through Caddy"),
            Bound(name: "ProbeSettings.attempts", value: "\(probe.attempts)", setting: "--probe-attempts, probe_attempts", bounds: "probe attempts per host"),
            Bound(name: "PublishPolicy.maxAttempts", value: "\(PublishPolicy().maxAttempts)", setting: nil, bounds: "pushes of the status report when others race"),
            Bound(name: "BackupStore.keep", value: "\(BackupStore(directory: "").keep)", setting: nil, bounds: "backups kept per live file"),
            Bound(name: "WebhookSettings.defaultMaxBodyBytes", value: bytes(webhook.maxBodyBytes), setting: "--max-body, serve.max_body",
                  bounds: "size of a webhook body (413 above it, before any hashing)"),
            Bound(name: "WebhookSettings.replayMemory", value: "\(webhook.replayMemory)", setting: nil,
                  bounds: "webhook delivery ids and signed-body digests remembered against replays (oldest forgotten first)"),
            Bound(name: "SecretFile.maxBytes", value: bytes(SecretFile.maxBytes), setting: nil,
                  bounds: "size of a secret file (token, webhook secret, Home Assistant token)"),
            Bound(name: "ServeHTTPLimits.maxConnections", value: "\(ServeHTTPLimits.maxConnections)", setting: nil,
                  bounds: "connections `serve` holds (at the bound a new one closes the oldest not being answered)"),
            Bound(name: "ServeHTTPLimits.idleTimeout", value: duration(ServeHTTPLimits.idleTimeout), setting: nil,
                  bounds: "a `serve` connection without a complete request (idle, or a half-sent head)"),
            Bound(name: "ServeHTTPLimits.requestTimeout", value: duration(ServeHTTPLimits.requestTimeout), setting: nil,
                  bounds: "reading one request to `serve` whole, head to end of body"),
            Bound(name: "CaddyCertificateStorage.maxFileBytes", value: bytes(CaddyCertificateStorage.maxFileBytes), setting: nil,
                  bounds: "size of a certificate or its metadata read from Caddy's storage"),
            Bound(name: "CaddyCertificateStorage.maxIssuers", value: "\(CaddyCertificateStorage.maxIssuers)", setting: nil,
                  bounds: "entries of caddy/certificates looked at in Caddy's storage (issuer folders)"),
            Bound(name: "ReconcileLock.defaultTimeout", value: seconds(ReconcileLock.defaultTimeout), setting: "--lock-timeout (apply)",
                  bounds: "waiting for another reconcile's lock"),
            Bound(name: "NotificationSender.budget", value: seconds(NotificationSender(targets: []).budget), setting: nil,
                  bounds: "all the notifications of one reconcile, every target at once (dead ones included)"),
            Bound(name: "NotificationSender.attempts", value: "\(NotificationSender(targets: []).attempts)", setting: nil,
                  bounds: "attempts per message and target, within the budget"),
            Bound(name: "NtfyChannel.attemptTimeout", value: seconds(NtfyChannel(topicURL: "", tokenFile: nil).attemptTimeout), setting: nil,
                  bounds: "each POST to ntfy or to a webhook (`curl --max-time`)"),
            Bound(name: "AppriseChannel.attemptTimeout", value: seconds(AppriseChannel(urlFile: "").attemptTimeout), setting: nil,
                  bounds: "each run of the `apprise` command"),
        ]
    }

    static func bytes(_ count: Int) -> String { count % (1 << 20) == 0 ? "\(count >> 20) MiB" : "\(count) bytes" }
    static func seconds(_ value: Double) -> String { "\(Int(value)) s" }
    static func duration(_ value: Duration) -> String { "\(value.components.seconds) s" }
}
