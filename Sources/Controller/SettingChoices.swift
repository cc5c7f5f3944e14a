/// A setting with a fixed set of values (`--compose auto|v1|v2|none`, `compose:` in the settings file):
/// one enum serves the command line (`ExpressibleByArgument` in the CLI), the settings file's check and
/// the error that lists what is allowed.
public protocol SettingChoice: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}

extension SettingChoice {
    /// "auto, v1, v2, none": what an error offers.
    public static var allowedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// `--caddy`, `caddy:`: how a new Caddyfile reaches Caddy (see `CaddyWay`).
public enum CaddyWaySetting: String, SettingChoice {
    case auto
    case adminAPI = "admin-api"
    case container
    case none
}

/// `--compose`, `compose:`: the Compose client (see `ComposeClientChoice`).
public enum ComposeClientSetting: String, SettingChoice {
    case auto, v1, v2, none
}

/// `--ha-restart`: how Home Assistant restarts for new http settings (without `ha_commands:`).
public enum HomeAssistantRestartWay: String, SettingChoice {
    case compose, none
}

/// `--log-format`, `serve.log_format`: how `serve` logs to standard error.
public enum LogFormat: String, SettingChoice {
    case text
    /// One JSON object per line.
    case json
}

/// `serve.status_page`: who may open the status page at `/`. It names every service the house exposes, so
/// it is for the home network: a request that came through a proxy is refused unless the owner said so.
public enum StatusPageAccess: String, SettingChoice {
    /// Direct requests only (the default): never through Caddy.
    case direct
    /// Also through a reverse proxy: the owner put their own login in front of it.
    case proxied
    /// No page.
    case off
}
