import Controller

/// Reads a plain plan command line (`reconcile plan --repo … --root …`, or `reconcile --plan …`) straight into
/// a `PlanRequest`, without argument-parser: its reflection makes the Swift runtime scan every protocol
/// conformance in the binary: 5 ms of what was a 35 ms plan of 1,000 services (issue #15).
///
/// argument-parser stays the definition of the command line. This reader takes only what it is sure of (long
/// names it knows, each once, with a valid value) and hands everything else back (nil): help, a typo, a bad
/// value, a repeated option. argument-parser then reads it, and explains. `PlanCommandLineTests` hold this
/// reader to argument-parser: the same names, and the same request for each of them, for all of them together
/// and for command lines made at random.
enum PlanCommandLine {
    static func read(_ arguments: ArraySlice<String>) -> PlanRequest? {
        var rest = arguments
        var request = PlanRequest()
        let subcommand = rest.first == "plan"
        if subcommand {
            rest.removeFirst()
            request.engine = SettingsFile()
        } else if !rest.contains("--plan") {
            return nil
        }
        var seen: Set<Substring> = []
        while let word = rest.popFirst() {
            guard word.hasPrefix("--") else { return nil }
            let equals = word.firstIndex(of: "=")
            let name = word[..<(equals ?? word.endIndex)]
            guard seen.insert(name).inserted, let argument = argument(named: name, subcommand: subcommand) else { return nil }
            switch argument {
            case .flag(let set):
                guard equals == nil else { return nil }
                set(&request)
            case .value(let set):
                // `--name=` is a missing value to argument-parser, and `-…` an option.
                guard let value = equals.map({ String(word[word.index(after: $0)...]) }) ?? rest.popFirst(),
                      equals == nil || !value.isEmpty, !value.hasPrefix("-"), set(&request, value) else { return nil }
            }
        }
        // The checks argument-parser runs in `validate()`: a failure is its to report.
        do {
            try GatewayOptions.validate(gitTimeout: request.gateway.gitTimeout)
            try CaddyWay.validate(request.engine?.caddy, admin: request.engine?.caddyAdmin)
        } catch {
            return nil
        }
        return request
    }

    private enum Argument: Sendable {
        case flag(@Sendable (inout PlanRequest) -> Void)
        /// false: not a value of this option.
        case value(@Sendable (inout PlanRequest, String) -> Bool)

        static func text(_ set: @escaping @Sendable (inout PlanRequest, String) -> Void) -> Argument {
            .value { set(&$0, $1); return true }
        }
    }

    /// The long names this reader knows: `reconcile plan`'s, or (`subcommand` false) `reconcile --plan`'s.
    static func names(subcommand: Bool) -> [String] {
        (common + (subcommand ? afterPlan : beforePlan)).map(\.name)
    }

    private static func argument(named name: Substring, subcommand: Bool) -> Argument? {
        (common.first { $0.name == name } ?? (subcommand ? afterPlan : beforePlan).first { $0.name == name })?.argument
    }

    /// `GatewayOptions` and `OutputOptions`: both forms.
    private static let common: [(name: String, argument: Argument)] = [
        ("--config", .text { $0.config = $1 }),
        ("--repo", .text { $0.gateway.repo = $1 }),
        ("--branch", .text { $0.gateway.branch = $1 }),
        ("--gateway", .text { $0.gateway.gateway = $1 }),
        ("--status-branch", .text { $0.gateway.statusBranch = $1 }),
        ("--allow-force-push", .flag { $0.gateway.allowForcePush = true }),
        ("--token-file", .text { $0.gateway.tokenFile = $1 }),
        ("--token-env", .text { $0.gateway.tokenEnv = $1 }),
        ("--ssh-key", .text { $0.gateway.sshKey = $1 }),
        ("--known-hosts", .text { $0.gateway.knownHosts = $1 }),
        ("--accept-new-host-key", .flag { $0.gateway.acceptNewHostKey = true }),
        ("--root", .text { $0.gateway.root = $1 }),
        ("--caddyfile", .text { $0.gateway.caddyfile = $1 }),
        ("--ha-config", .text { $0.gateway.haConfig = $1 }),
        ("--caddy-data", .text { $0.gateway.caddyData = $1 }),
        ("--compose-file", .text { $0.gateway.composeFile = $1 }),
        ("--state-dir", .text { $0.gateway.stateDir = $1 }),
        ("--policy", .text { $0.gateway.policy = $1 }),
        ("--allowed-signers", .text { $0.gateway.allowedSigners = $1 }),
        ("--gpg-keyring", .text { $0.gateway.gpgKeyring = $1 }),
        ("--allow-symlinked-live-paths", .flag { $0.gateway.allowSymlinkedLivePaths = true }),
        ("--ha-repair-lost-masks", .flag { $0.gateway.haRepairLostMasks = true }),
        ("--ha-token-file", .text { $0.gateway.haTokenFile = $1 }),
        ("--adopt", .flag { $0.gateway.adopt = true }),
        ("--git-timeout", .value { request, value in
            guard let seconds = Double(value) else { return false }
            request.gateway.gitTimeout = seconds
            return true
        }),
        ("--diff", .flag { $0.format.diff = true }),
        ("--json", .flag { $0.format.json = true }),
        ("--verbose", .flag { $0.format.verbose = true }),
    ]

    /// `reconcile --plan`'s own flag.
    private static let beforePlan: [(name: String, argument: Argument)] = [
        ("--plan", .flag { _ in }),
    ]

    /// `PlanEngineOptions` and `--publish-status`: `reconcile plan` only.
    private static let afterPlan: [(name: String, argument: Argument)] = [
        ("--publish-status", .flag { $0.publishStatus = true }),
        ("--no-runtime", .flag { $0.noRuntime = true }),
        ("--compose", .value { request, value in
            guard let client = ComposeClientSetting(rawValue: value) else { return false }
            request.engine?.compose = client
            return true
        }),
        ("--caddy", .value { request, value in
            guard let way = CaddyWay(rawValue: value) else { return false }
            request.engine?.caddy = way
            return true
        }),
        ("--caddy-admin", .text { $0.engine?.caddyAdmin = $1 }),
    ]
}
