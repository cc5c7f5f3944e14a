import Adapters
import FoundationEssentials

extension ResolvedSettings {
    /// The access token's variable when neither `--token-file` nor `--token-env` is given (used when set).
    public static let defaultTokenVariable = "RECONCILE_GIT_TOKEN"

    /// `--repo` as a git remote, or nil for a local folder (which works exactly as before remotes existed).
    static func remoteSource(_ text: String, _ settings: SettingsFile) throws(ReconcileError) -> RemoteSource? {
        let allowForcePush = settings.allowForcePush == true, acceptNewHostKey = settings.acceptNewHostKey == true
        var url: GitRemoteURL?
        do {
            url = try GitRemoteURL.parse(text)
        } catch {
            throw .setting("--repo", error.description)
        }
        if url == nil, GitRepository.isBareRepository(at: text) {
            url = .local(path: text.hasPrefix("/") ? text : FileManager.default.currentDirectoryPath + "/" + text)
        }
        guard let url else {
            let remoteOnly: [(String, Bool)] = [("--branch", settings.branch != nil), ("--allow-force-push", allowForcePush),
                                                ("--token-file", settings.tokenFile != nil), ("--token-env", settings.tokenEnv != nil),
                                                ("--ssh-key", settings.sshKey != nil), ("--known-hosts", settings.knownHosts != nil),
                                                ("--accept-new-host-key", acceptNewHostKey), ("--status-branch", settings.statusBranch != nil)]
            if let given = remoteOnly.first(where: \.1) {
                throw .setting(given.0, "applies to a git remote, and --repo \(text) is a local folder",
                               hint: "give --repo a URL (https://, ssh://, file://) or a bare repository")
            }
            return nil
        }
        if acceptNewHostKey && settings.knownHosts == nil {
            throw .setting("--accept-new-host-key", "needs --known-hosts FILE to record the key in")
        }
        if let statusBranch = settings.statusBranch,
           statusBranch.isEmpty || statusBranch.contains(" ") || statusBranch.contains("..") || statusBranch == settings.branch {
            throw .setting("--status-branch", "'\(statusBranch)' cannot be the status branch", hint: "a plain branch name other than --branch")
        }
        var token: GitSecret?
        if let tokenFile = settings.tokenFile {
            do {
                token = try GitSecret.fromFile(tokenFile)
            } catch {
                throw .setting("--token-file", error.message)
            }
        } else {
            let variable = settings.tokenEnv ?? defaultTokenVariable
            token = GitSecret.fromEnvironment(variable)
            if token == nil && settings.tokenEnv != nil { throw .setting("--token-env", "$\(variable) is not set or empty") }
        }
        if let token, url.transport == .http {
            throw .setting(settings.tokenFile != nil ? "--token-file" : settings.tokenEnv != nil ? "--token-env" : "$\(defaultTokenVariable)",
                           "a token is never sent over plain http:// (\(url)): anyone on the way could read it, from \(token.origin)",
                           hint: "use the https:// URL of the repository (for a private CA, point GIT_SSL_CAINFO at its certificate), or ssh:// with --ssh-key")
        }
        if let key = settings.sshKey {
            do {
                try SecretFile.checkPrivate(key, what: "the SSH key")
            } catch {
                throw .setting("--ssh-key", "\(key): \(error.reasonWithAdvice)")
            }
        }
        let credentials = GitCredentials(token: token, sshPrivateKey: settings.sshKey, knownHosts: settings.knownHosts,
                                         acceptNewHostKey: acceptNewHostKey)
        let seconds = settings.gitTimeout.flatMap { $0 > 0 ? $0 : nil } ?? GitNetworkDeadline.defaultSeconds
        return RemoteSource(url: url, branch: settings.branch, credentials: credentials, allowForcePush: allowForcePush,
                            deadline: GitNetworkDeadline(seconds: seconds))
    }
}
