import Planner

/// The `serve:` mapping of the settings file (its keys: `ServeFileSettings.table`): how `reconcile serve` listens, its webhook, its timer, and
/// (with `webhook_host`) the Caddy route to the webhook that no plan may cut.
///
/// ```yaml
/// serve:
///   listen: 127.0.0.1:9797
///   webhook_path: /hooks/reconcile
///   webhook_secret_file: /etc/reconcile/webhook-secret
///   webhook_host: reconcile.example.org      # the public host Caddy routes to the webhook
///   webhook_upstream: 127.0.0.1:9797         # how Caddy reaches it (default: listen)
///   interval: 5m
///   jitter: 30s
///   burst_window: 1s
///   max_body: 1048576
///   log_format: json
///   status_page: direct                      # the owner's page at /: direct | proxied | off
/// ```
public struct ServeFileSettings: Sendable, Hashable {
    public var listen: String?
    public var webhookPath: String?
    public var webhookSecretFile: String?
    public var webhookHost: String?
    public var webhookUpstream: String?
    public var interval: String?
    public var jitter: String?
    public var burstWindow: String?
    public var maxBody: Int?
    public var logFormat: LogFormat?
    /// Who may open the status page at `/`: `direct` (default: never through a proxy), `proxied`, `off`.
    public var statusPage: StatusPageAccess?

    public init() {}

    public static let defaultListen = "127.0.0.1:9797"
    public static let defaultWebhookPath = "/hooks/reconcile"

    /// The guarded route, when a public host is declared.
    public var route: WebhookRoute? {
        guard let host = webhookHost else { return nil }
        return WebhookRoute(host: host, path: webhookPath ?? Self.defaultWebhookPath,
                            upstream: webhookUpstream ?? listen ?? Self.defaultListen)
    }
}
