import ArgumentParser
import Controller

/// Rules set on the gateway, outside the exposure repo: a commit cannot lift them.
struct GuardrailOptions: ParsableArguments {
    @Option(name: Described.name(\.policy), help: Described.help(\.policy)) var policy: String?
    @Option(name: Described.name(\.allowedSigners), help: Described.help(\.allowedSigners)) var allowedSigners: String?
    @Option(name: Described.name(\.gpgKeyring), help: Described.help(\.gpgKeyring)) var gpgKeyring: String?
}
