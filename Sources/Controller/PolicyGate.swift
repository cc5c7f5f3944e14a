import Adapters
import Compose
import DesiredState
import Diagnostics
import Planner
import Policy

/// Where the gateway's policy file is. The default path may be absent (no rules); a file the user named
/// must exist.
public struct PolicySource: Sendable, Hashable {
    public var path: String
    public var required: Bool

    public init(path: String, required: Bool) {
        self.path = path
        self.required = required
    }

    /// `/etc/reconcile/policy.yaml`, under `--root` when one is given.
    public static func defaultPath(root: String?) -> String {
        (root.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? "") + "/etc/reconcile/policy.yaml"
    }
}

/// Reads the gateway policy and refuses a desired state that breaks it, before anything is planned.
public enum PolicyGate {
    public static func load(_ source: PolicySource) throws(ReconcileError) -> GatewayPolicy? {
        let bytes: [UInt8]?
        do {
            bytes = try LiveFileReader.read(source.path, maxBytes: 1 << 20)
        } catch {
            throw .failed(.unreadableLiveFile, error.description)
        }
        guard let bytes else {
            guard !source.required else {
                throw .invalidInput(DiagnosticList([Diagnostic(file: source.path, position: nil, message: "the policy file does not exist",
                                                               hint: "create it, or leave out --policy / policy: to use \(PolicySource.defaultPath(root: nil)) when present")]), reason: .invalidSettings)
            }
            return nil
        }
        do {
            return try PolicyParser.parse(bytes, file: source.path)
        } catch {
            throw .invalidInput(error, reason: .invalidSettings)
        }
    }

    /// Throws the violations as wrong input: the next commit has to fix them.
    /// `composeFile`: the gateway's live compose file, whose services a rule's names are matched against too.
    public static func enforce(_ source: PolicySource?, on desired: DesiredState, composeFile: LiveFile?) throws(ReconcileError) {
        guard let source, let policy = try load(source) else { return }
        let gateway = composeFile.map { file in
            GatewayServices(file: file.path, services: ComposeServiceIdentities.read(composeBytes: file.bytes ?? [], composeFile: file.path))
        } ?? GatewayServices()
        let violations = PolicyCheck.violations(of: policy, in: desired, gateway: gateway)
        if !violations.isEmpty { throw .invalidInput(DiagnosticList(violations), reason: .refusedByPolicy) }
    }
}
