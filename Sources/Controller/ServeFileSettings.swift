import Diagnostics
import Planner
import YAMLEdit

/// The `serve:` mapping of the settings file: how `reconcile serve` listens, its webhook, its timer, and
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

    static let keys = ["listen", "webhook_path", "webhook_secret_file", "webhook_host", "webhook_upstream",
                       "interval", "jitter", "burst_window", "max_body", "log_format", "status_page"]

    public static let defaultListen = "127.0.0.1:9797"
    public static let defaultWebhookPath = "/hooks/reconcile"

    /// The guarded route, when a public host is declared.
    public var route: WebhookRoute? {
        guard let host = webhookHost else { return nil }
        return WebhookRoute(host: host, path: webhookPath ?? Self.defaultWebhookPath,
                            upstream: webhookUpstream ?? listen ?? Self.defaultListen)
    }

    static func parse(_ node: YAMLNode, file: String) throws(DiagnosticList) -> ServeFileSettings {
        guard let pairs = node.pairs else {
            throw DiagnosticList([Diagnostic(file: file, position: node.start.position, message: "'serve' must be a mapping",
                                             hint: "keys: \(keys.joined(separator: ", "))")])
        }
        var settings = ServeFileSettings()
        var problems: [Diagnostic] = []
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            guard let value = pair.value.scalarValue, pair.value.tag == nil, !value.isEmpty else {
                problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'serve.\(key)' must be a value"))
                continue
            }
            switch key {
            case "listen": settings.listen = value
            case "webhook_path": settings.webhookPath = value
            case "webhook_secret_file": settings.webhookSecretFile = value
            case "webhook_host": settings.webhookHost = value
            case "webhook_upstream": settings.webhookUpstream = value
            case "interval": settings.interval = value
            case "jitter": settings.jitter = value
            case "burst_window": settings.burstWindow = value
            case "log_format":
                do { settings.logFormat = try SettingsFile.choice(value, key: "serve.log_format", at: pair.value, file: file) } catch { problems.append(error) }
            case "status_page":
                do {
                    settings.statusPage = try SettingsFile.choice(value, key: "serve.status_page", at: pair.value, file: file,
                                                                  hint: "direct: the home network opens it at the daemon's own address; proxied: also through Caddy (put a login in front); off: no page")
                } catch { problems.append(error) }
            case "max_body":
                guard let bytes = Int(value), bytes > 0 else {
                    problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'serve.max_body' must be a positive number of bytes"))
                    continue
                }
                settings.maxBody = bytes
            default:
                problems.append(SettingsFile.unknownSetting(key, shownAs: "serve.\(key)", keys: keys, file: file, at: pair.key.start.position))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return settings
    }
}
