import ArgumentParser

/// Rules set on the gateway, outside the exposure repo: a commit cannot lift them.
struct GuardrailOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The gateway's policy file (default: ROOT/etc/reconcile/policy.yaml when it exists; absent: no extra rules). A desired state that breaks it is refused before anything is planned or written.", valueName: "file"))
    var policy: String?

    @Option(name: .customLong("allowed-signers"), help: ArgumentHelp("Apply only commits with an SSH signature by a key in this allowed_signers file (ssh-keygen -Y verify, namespace git).", valueName: "file"))
    var allowedSigners: String?

    @Option(name: .customLong("gpg-keyring"), help: ArgumentHelp("Apply only commits with a GPG signature by a key in this keyring (gpgv). With --allowed-signers, either kind is accepted.", valueName: "file"))
    var gpgKeyring: String?
}
