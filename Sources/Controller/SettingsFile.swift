import Adapters
import Diagnostics
import YAMLEdit

/// `--config FILE`: the same settings as the command-line options, in YAML, for a gateway that
/// runs reconcile from a timer or a unit file. Options given on the command line win.
public struct SettingsFile: Sendable, Hashable {
    public var repo: String?
    public var root: String?
    public var caddyfile: String?
    public var haConfig: String?
    public var composeFile: String?
    public var stateDir: String?

    static let keys = ["repo", "root", "caddyfile", "ha_config", "compose_file", "state_dir"]

    public init() {}

    public static func parse(_ bytes: [UInt8], file: String) throws(DiagnosticList) -> SettingsFile {
        let document: YAMLDocument
        do {
            document = try YAMLDocument.parse(bytes, file: file)
        } catch {
            throw DiagnosticList([error])
        }
        var settings = SettingsFile()
        guard let root = document.root else { return settings }
        guard let pairs = root.pairs else {
            throw DiagnosticList([Diagnostic(file: file, position: root.start.position, message: "expected a mapping of settings",
                                             hint: "keys: \(keys.joined(separator: ", "))")])
        }
        var problems: [Diagnostic] = []
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            guard let value = pair.value.scalarValue, pair.value.tag == nil, !value.isEmpty else {
                problems.append(Diagnostic(file: file, position: pair.value.start.position, message: "'\(key)' must be a path"))
                continue
            }
            switch key {
            case "repo": settings.repo = value
            case "root": settings.root = value
            case "caddyfile": settings.caddyfile = value
            case "ha_config": settings.haConfig = value
            case "compose_file": settings.composeFile = value
            case "state_dir": settings.stateDir = value
            default:
                let hint = Suggestion.nearest(to: key, in: keys).map { "did you mean '\($0)'?" } ?? "keys: \(keys.joined(separator: ", "))"
                problems.append(Diagnostic(file: file, position: pair.key.start.position, message: "unknown setting '\(key)'", hint: hint))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return settings
    }

    /// Reads the file; a missing file is an error here, since the user named it.
    public static func load(_ path: String) throws(ReconcileError) -> SettingsFile {
        let bytes: [UInt8]?
        do {
            bytes = try LiveFileReader.read(path, maxBytes: 1 << 20)
        } catch {
            throw .world(error.description)
        }
        guard let bytes else {
            throw .invalidInput(DiagnosticList([Diagnostic(file: path, position: nil, message: "the settings file does not exist")]))
        }
        do {
            return try parse(bytes, file: path)
        } catch {
            throw .invalidInput(error)
        }
    }
}
