import Diagnostics
import Adapters
import Webhooks

extension SettingsFile {
    /// Every setting, once: the settings file's keys in this order, the options' names and help.
    /// Adding one: a field in `SettingsFile`, a line here, its option in the CLI (named from here), and
    /// what it does in `ResolvedSettings`; `SettingsCommandLineTests` hold the CLI to this table.
    public static let table = SettingsTable<SettingsFile>([
        .value("repo", \.repo, .path, option: "repo", "path-or-url", help: """
            The exposure repo: a local folder holding exposure.yaml (default: the current directory), or a git remote \
            (https://…, ssh://…, user@host:path, file://…, or a bare repository's path), followed through a clone in the state dir.
            """),
        .value("root", \.root, .path, option: "root", "dir", help: "Prefix for the gateway's default paths (a test tree, or the bundled example)."),
        .value("caddyfile", \.caddyfile, .path, option: "caddyfile", "file", help: "The live Caddyfile (default: ROOT/usr/local/caddy/Caddyfile)."),
        .value("ha_config", \.haConfig, .path, option: "ha-config", "dir", help: "Home Assistant's config dir (default: ROOT/usr/local/homeassistant)."),
        .value("caddy_data", \.caddyData, .path, option: "caddy-data", "dir",
               help: "Caddy's data dir, where it keeps its certificates; read, never written (default: ROOT/usr/local/caddy/caddy_data)."),
        .value("compose_file", \.composeFile, .path, option: "compose-file", "file",
               help: "The docker-compose file (default: ROOT/home/root/mapio/docker-compose.yml)."),
        .value("state_dir", \.stateDir, .path, option: "state-dir", "dir",
               help: "Backups, lock, records of what reconcile added, the working clone and the last status (default: ROOT/var/lib/reconcile)."),

        // Following a remote repo.
        .value("branch", \.branch, .name, option: "branch", "name", help: "Remote repo: the branch to follow (default: the remote's default branch)."),
        .value("gateway", \.gateway, .name, option: "gateway", "name",
               help: "This gateway's name: it reads gateways/NAME.yaml when the repo has one, and reports to status/NAME/ (default: the host name)."),
        .value("status_branch", \.statusBranch, .name, option: "status-branch", "name",
               help: "Remote repo: the branch status reports are committed to (default: \(StatusBranch.defaultName)); never the followed branch."),
        .value("token_file", \.tokenFile, .path, option: "token-file", "file",
               help: "HTTPS: a file (mode 0600) whose first line is the access token; never sent over http:// nor to another host."),
        .value("token_env", \.tokenEnv, .name, option: "token-env", "name",
               help: "HTTPS: the environment variable holding the access token (default: RECONCILE_GIT_TOKEN, when set)."),
        .value("ssh_key", \.sshKey, .path, option: "ssh-key", "file",
               help: "SSH: a private key file (mode 0600) without passphrase (its .pub beside it is used when present)."),
        .value("known_hosts", \.knownHosts, .path, option: "known-hosts", "file", help: "SSH: the known_hosts file the server's host key must be in."),
        .flag(nil, \.allowForcePush, option: "allow-force-push",
              help: "Remote repo: follow the branch even when its history was rewritten and no longer holds the applied commit."),
        .flag(nil, \.acceptNewHostKey, option: "accept-new-host-key",
              help: "SSH: trust a server missing from --known-hosts on first connect, and record its key there (a changed key is always refused)."),
        .value("git_timeout", \.gitTimeout, .seconds, option: "git-timeout", "seconds",
               help: "Remote repo: seconds one fetch or push may take before the run gives up (default: \(Int(GitNetworkDeadline.defaultSeconds)))."),

        // How apply reaches the running gateway.
        .value("caddy", \.caddy, .choice, option: "caddy", "way", help: """
            How the new Caddyfile reaches Caddy: auto (the admin API when it answers, else Caddy's CLI in the container that \
            mounts the Caddyfile), admin-api (--caddy-admin), container (`caddy adapt --validate` and `caddy reload` in that \
            container, through the engine, config on stdin), or none (you reload Caddy) (default: auto). A plan names the way.
            """, hint: "auto reaches Caddy through its admin API when it answers, else through its container"),
        .value("caddy_admin", \.caddyAdmin, .address, option: "caddy-admin", "host:port", help: """
            Caddy's admin API, which validates (/adapt) and loads (/load) the new Caddyfile with --caddy auto or admin-api \
            (default: 127.0.0.1:2019; 'none' is --caddy none).
            """),
        .value("compose", \.compose, .choice, option: "compose", "client",
               help: "The Compose client: auto, v1 (docker-compose), v2 (docker compose), or none (default: auto)."),
        .value(nil, \.haRestart, .choice, option: "ha-restart", "how",
               help: "How Home Assistant restarts for new http settings: compose (its compose service) or none (default: compose)."),
        .value("ha_url", \.haURL, .url, option: "ha-url", "url",
               help: "Where Home Assistant answers once it is up (default: http://127.0.0.1:8123/manifest.json)."),
        .value("probe", \.probe, .url, option: "probe", "url", help: """
            Where to reach Caddy to probe each host afterwards: https://ADDRESS:PORT, http://ADDRESS:PORT, or none \
            (default: https://127.0.0.1:443).
            """),
        .value("probe_attempts", \.probeAttempts, .positive("attempts"), option: "probe-attempts", "count",
               help: "Attempts per host before a probe fails, one a second (default: 10)."),
        .value("probe_timeout", \.probeTimeout, .seconds, option: "probe-timeout", "seconds", help: "Seconds one probe request may take (default: 5)."),
        .structured("ha_commands", \.haCommands, expected: "a mapping of stop, start and restart commands",
                    help: "Explicit argv commands (no shell) that stop, start and restart Home Assistant, instead of its compose service.",
                    read: { node, file throws(DiagnosticList) in
                        do throws(Diagnostic) { return try SettingsFile.commands(node, file: file) } catch { throw DiagnosticList([error]) }
                    }),

        // Guardrails set on the gateway, outside the exposure repo: a commit cannot lift them.
        .value("policy", \.policy, .path, option: "policy", "file", help: """
            The gateway's policy file (default: ROOT/etc/reconcile/policy.yaml when it exists; absent: no extra rules). \
            A desired state that breaks it is refused before anything is planned or written.
            """),
        .value("allowed_signers", \.allowedSigners, .path, option: "allowed-signers", "file",
               help: "Apply only commits with an SSH signature by a key in this allowed_signers file (ssh-keygen -Y verify, namespace git)."),
        .value("gpg_keyring", \.gpgKeyring, .path, option: "gpg-keyring", "file",
               help: "Apply only commits with a GPG signature by a key in this keyring (gpgv). With --allowed-signers, either kind is accepted."),

        .structured("serve", \.serve, expected: "a mapping", help: "`reconcile serve`'s own settings: the serve.* keys below.",
                    read: { node, file throws(DiagnosticList) in
                        var serve = ServeFileSettings()
                        try ServeFileSettings.table.read(node, into: &serve, file: file)
                        return serve
                    },
                    merge: { high, low in ServeFileSettings.table.over(high, low) }),
        .flag("allow_symlinked_live_paths", \.allowSymlinkedLivePaths, option: "allow-symlinked-live-paths",
              help: "Edit the target of a live file that is a symbolic link (by default such a file is refused: a rename would replace the link)."),
        .flag("ha_repair_lost_masks", \.haRepairLostMasks, option: "ha-repair-lost-masks", help: """
            Storage mode: also repair your own .storage/http entries whose network mask Home Assistant's 2026.8 migration \
            lost (core#182040), not only reconcile's.
            """),
        .value("ha_token_file", \.haTokenFile, .path, option: "ha-token-file", "file", help: """
            Storage mode: a file (mode 0600) whose first line is a Home Assistant access token (an administrator's long-lived \
            token). reconcile then uses Home Assistant's own trial (configure, probe through Caddy, promote) instead of \
            stopping it to write .storage/http.
            """),
        .flag("adopt", \.adopt, option: "adopt", help: """
            Take over what a gateway set up by hand already has (a hand-written site block that serves exactly one declared \
            host with one reverse_proxy to its upstream, a depends_on on the proxy, Home Assistant's http: trust settings): \
            the plan shows each as `@ adopt`, and prune will later remove them. Also `adopt: true` in the settings file.
            """),
        .structured("notify", \.notify, expected: "a list of targets", help: "Where notifications go: a list of ntfy, webhook and apprise targets (see Notifications).",
                    read: { node, file throws(DiagnosticList) in try NotifyTarget.parseList(node, file: file) }),
    ])
}

extension ServeFileSettings {
    /// `reconcile serve`'s settings: the `serve:` mapping of the settings file, and `serve`'s options.
    public static let table = SettingsTable<ServeFileSettings>(prefix: "serve.", [
        .value("listen", \.listen, .address, option: "listen", "host:port",
               help: "Where the HTTP endpoints listen (default: \(ServeFileSettings.defaultListen))."),
        .value("webhook_path", \.webhookPath, .path, option: "webhook-path", "path",
               help: "The webhook's path (default: \(ServeFileSettings.defaultWebhookPath))."),
        .value("webhook_secret_file", \.webhookSecretFile, .path, option: "webhook-secret-file", "file", help: """
            The shared webhook secret (mode 0600, 16 to 1024 bytes), one per line (several allow a rotation). Without it \
            the webhook is off and only the timer runs.
            """),
        .value("webhook_host", \.webhookHost, .name, option: "webhook-host", "host",
               help: "The public host Caddy routes to the webhook: any plan that would stop routing it is refused."),
        .value("webhook_upstream", \.webhookUpstream, .address, option: "webhook-upstream", "host:port",
               help: "How Caddy reaches the webhook, as written after reverse_proxy (default: --listen)."),
        .value("interval", \.interval, .duration, option: "interval", "duration", help: "Time between timer reconciles: 300, 300s, 5m, 1h (default: 5m)."),
        .value("jitter", \.jitter, .duration, option: "jitter", "duration", help: "Random extra delay added to each interval (default: 30s)."),
        .value("burst_window", \.burstWindow, .duration, option: "burst-window", "duration",
               help: "Reconciles start at least this far apart; triggers in between fold into one more, run after them (default: 1s)."),
        .value("max_body", \.maxBody, .positive("bytes"), option: "max-body", "bytes",
               help: "Largest webhook body accepted, in bytes (default: \(WebhookSettings.defaultMaxBodyBytes))."),
        .value("log_format", \.logFormat, .choice, option: "log-format", "format",
               help: "text or json (one object per line on standard error) (default: text)."),
        .value("status_page", \.statusPage, .choice, option: nil, nil,
               help: "Who may open the status page at /: direct (default: the home network, at the daemon's own address), proxied (also through Caddy: put a login in front), or off.",
               hint: "direct: the home network opens it at the daemon's own address; proxied: also through Caddy (put a login in front); off: no page"),
    ])
}
