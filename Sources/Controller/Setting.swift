import Diagnostics
import YAMLEdit

/// One setting, described once: its key in the settings file, its command-line option, its help, the
/// values it takes and the field it fills. The settings file's reader, the list of its keys, the
/// precedence (`SettingsFile.over`), the command line's names, help and checks all follow from these
/// descriptions (`SettingsFile.table`, `ServeFileSettings.table`).
///
/// `@unchecked Sendable`: the key path and the closures are set once, at the table's creation, and capture
/// nothing mutable.
public struct Setting<Root>: @unchecked Sendable {
    /// Its key in the settings file (under `serve:` for `ServeFileSettings`); nil: an option only.
    public let key: String?
    /// Its long option, without the dashes; nil: the settings file only.
    public let option: String?
    public let help: String
    /// What the help calls its value ("file", "seconds"); nil for a flag.
    public let valueName: String?
    /// What a right value is, as an error says it ("a path", "true or false").
    public let expected: String
    /// What the error about a wrong value in the file adds as its hint.
    public let hint: String?
    /// The field it fills.
    public let field: PartialKeyPath<Root>
    /// A right value, as written on a command line or in the file (tests iterate the table with it).
    public let sample: String?
    /// Reads its value in the settings file into `root`.
    let read: (_ node: YAMLNode, _ name: String, _ file: String, _ root: inout Root) throws(DiagnosticList) -> Void
    /// Sets `root`'s value from text, as an option's value; false when the text is not one.
    let set: (_ text: String, _ root: inout Root) -> Bool
    /// `lower`'s value goes into `root` where `root` says nothing (see `SettingsFile.over`).
    let keep: (_ root: inout Root, _ lower: Root) -> Void
    /// Whether `root`'s value, if any, is one this setting takes (the file's reader checks the same).
    let isValid: (Root) -> Bool

    /// `--option`, or the file's key when the setting has no option.
    public var displayName: String { option.map { "--" + $0 } ?? key ?? "" }

    /// Sets `root`'s value from text, as its option's value would; false when the text is not one.
    public func set(_ text: String, in root: inout Root) -> Bool { set(text, &root) }
}

/// The values one scalar setting takes: how text becomes one, and what a right one is.
public struct SettingKind<Value>: @unchecked Sendable {
    /// "a path", "a positive number of seconds".
    public let expected: String
    public let sample: String
    let parse: (String) -> Value?
    /// A value the command line parsed (argument-parser parses numbers and fixed values itself) is still
    /// held to the same rule as the file's.
    let isValid: (Value) -> Bool
}

extension SettingKind where Value == String {
    static func text(_ expected: String, sample: String) -> SettingKind {
        SettingKind(expected: expected, sample: sample, parse: { $0 }, isValid: { !$0.isEmpty })
    }
    static let path = text("a path", sample: "/srv/x")
    static let name = text("a name", sample: "x")
    static let url = text("a URL", sample: "https://x.example")
    static let address = text("host:port", sample: "127.0.0.1:7")
    /// Kept as written: the daemon turns it into a `Duration` (`DaemonConfiguration`).
    static let duration = SettingKind(expected: "a duration (300, 30s, 5m, 1h)", sample: "7m",
                                      parse: { DurationText.parse($0) == nil ? nil : $0 }, isValid: { DurationText.parse($0) != nil })
}

extension SettingKind where Value == Int {
    static func positive(_ what: String) -> SettingKind {
        SettingKind(expected: "a positive number of \(what)", sample: "7", parse: { Int($0) }, isValid: { $0 > 0 })
    }
}

extension SettingKind where Value == Double {
    static let seconds = SettingKind(expected: "a positive number of seconds", sample: "7", parse: { Double($0) }, isValid: { $0 > 0 })
}

extension SettingKind where Value == Bool {
    static let bool = SettingKind(expected: "true or false", sample: "true",
                                  parse: { $0 == "true" ? true : $0 == "false" ? false : nil }, isValid: { _ in true })
}

extension SettingKind where Value: SettingChoice {
    /// The last value: one that is not the default (the defaults come first).
    static var choice: SettingKind {
        SettingKind(expected: "one of \(Value.allowedValues)", sample: Value.allCases.map(\.rawValue).last ?? "",
                    parse: { Value(rawValue: $0) }, isValid: { _ in true })
    }
}

extension Setting {
    /// A scalar setting: a plain YAML scalar in the file, one word on the command line.
    static func value<Value>(_ key: String?, _ field: WritableKeyPath<Root, Value?>, _ kind: SettingKind<Value>,
                             option: String?, _ valueName: String?, help: String, hint: String? = nil) -> Setting {
        Setting(key: key, option: option, help: help, valueName: valueName, expected: kind.expected, hint: hint,
                field: field, sample: kind.sample,
                read: { node, name, file, root throws(DiagnosticList) in
                    guard let text = node.scalarValue, node.tag == nil, !text.isEmpty else {
                        throw DiagnosticList([Diagnostic(file: file, position: node.start.position, message: "'\(name)' must be \(kind.expected)", hint: hint)])
                    }
                    guard let value = kind.parse(text), kind.isValid(value) else {
                        throw DiagnosticList([Diagnostic(file: file, position: node.start.position,
                                                         message: "'\(name)' is '\(text)', not \(kind.expected)", hint: hint)])
                    }
                    root[keyPath: field] = value
                },
                set: { text, root in
                    guard let value = kind.parse(text) else { return false }
                    root[keyPath: field] = value
                    return true
                },
                keep: { root, lower in
                    if root[keyPath: field] == nil { root[keyPath: field] = lower[keyPath: field] }
                },
                isValid: { root in root[keyPath: field].map(kind.isValid) ?? true })
    }

    /// A flag on the command line (given: true; not given: says nothing), true or false in the file.
    static func flag(_ key: String?, _ field: WritableKeyPath<Root, Bool?>, option: String, help: String) -> Setting {
        value(key, field, .bool, option: option, nil, help: help)
    }

    /// A setting of the file only, with a reader of its own (a list, a mapping); `merge` lays a higher
    /// layer's value over a lower one's, where the whole value need not win.
    static func structured<Value>(_ key: String, _ field: WritableKeyPath<Root, Value?>, expected: String, help: String,
                                  read: @escaping (YAMLNode, String) throws(DiagnosticList) -> Value,
                                  merge: ((Value, Value) -> Value)? = nil) -> Setting {
        Setting(key: key, option: nil, help: help, valueName: nil, expected: expected, hint: nil, field: field, sample: nil,
                read: { node, _, file, root throws(DiagnosticList) in root[keyPath: field] = try read(node, file) },
                set: { _, _ in false },
                keep: { root, lower in
                    guard let low = lower[keyPath: field] else { return }
                    if let high = root[keyPath: field], let merge {
                        root[keyPath: field] = merge(high, low)
                    } else if root[keyPath: field] == nil {
                        root[keyPath: field] = low
                    }
                },
                isValid: { _ in true })
    }
}

/// A table of settings, read from a mapping of the settings file.
public struct SettingsTable<Root>: @unchecked Sendable {
    public let settings: [Setting<Root>]
    /// `serve.` for the `serve:` mapping: how its keys are named in errors.
    let prefix: String
    private let byKey: [String: Int]
    private let byField: [PartialKeyPath<Root>: Int]

    init(prefix: String = "", _ settings: [Setting<Root>]) {
        self.settings = settings
        self.prefix = prefix
        var byKey: [String: Int] = [:], byField: [PartialKeyPath<Root>: Int] = [:]
        for (index, setting) in settings.enumerated() {
            if let key = setting.key { precondition(byKey.updateValue(index, forKey: key) == nil, "the key \(key) twice") }
            precondition(byField.updateValue(index, forKey: setting.field) == nil, "a field twice: \(setting.displayName)")
        }
        (self.byKey, self.byField) = (byKey, byField)
    }

    /// The keys the file may hold, in the table's order.
    public var keys: [String] { settings.compactMap(\.key) }

    /// The setting that fills `field`; every field of a settings type has one (`SettingsTableTests`).
    public subscript(field: PartialKeyPath<Root>) -> Setting<Root> {
        guard let index = byField[field] else { preconditionFailure("no setting fills \(field)") }
        return settings[index]
    }

    /// Reads a mapping of settings into `root`; every problem at its `file:line:column`, all of them together.
    func read(_ node: YAMLNode, into root: inout Root, file: String) throws(DiagnosticList) {
        guard let pairs = node.pairs else {
            let message = prefix.isEmpty ? "expected a mapping of settings" : "'\(prefix.dropLast())' must be a mapping"
            throw DiagnosticList([Diagnostic(file: file, position: node.start.position, message: message,
                                             hint: "keys: \(keys.joined(separator: ", "))")])
        }
        var problems: [Diagnostic] = []
        for pair in pairs {
            let key = pair.key.scalarValue ?? ""
            guard let index = byKey[key] else {
                problems.append(SettingsFile.unknownSetting(key, shownAs: prefix + key, keys: keys, file: file, at: pair.key.start.position))
                continue
            }
            do { try settings[index].read(pair.value, prefix + key, file, &root) } catch { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
    }

    /// `higher` laid over `lower`: each value `higher` holds wins, each one it does not is `lower`'s.
    func over(_ higher: Root, _ lower: Root) -> Root {
        var merged = higher
        for setting in settings { setting.keep(&merged, lower) }
        return merged
    }

    /// The values in `root` (the command line's) that their setting does not take: "--probe-timeout must be …".
    public func problems(in root: Root) -> [String] {
        settings.filter { !$0.isValid(root) }.map { "\($0.displayName) must be \($0.expected)" }
    }
}
