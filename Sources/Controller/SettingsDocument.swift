/// The README's table of every setting, rendered from `SettingsFile.table` and `ServeFileSettings.table`:
/// `SettingsDocumentTests` holds the README to it, so the documented options and keys cannot drift.
public enum SettingsDocument {
    public static let begin = "<!-- settings: rendered from SettingsFile.table (SettingsDocument); a test holds it -->"
    public static let end = "<!-- end of settings -->"

    public static func markdown() -> String {
        var lines = [begin, "| option | settings file | what it is |", "|---|---|---|"]
        lines += SettingsFile.table.settings.map { row($0, keyPrefix: "") }
        lines += ServeFileSettings.table.settings.map { row($0, keyPrefix: "serve.") }
        lines.append(end)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row<Root>(_ setting: Setting<Root>, keyPrefix: String) -> String {
        var option = ""
        if let name = setting.option {
            let value: String = setting.valueName.map { " " + $0.uppercased() } ?? ""
            option = "`--" + name + value + "`"
        }
        let key: String = setting.key.map { "`" + keyPrefix + $0 + "`" } ?? ""
        return "| \(option) | \(key) | \(setting.help.replacingBars()) |"
    }
}

private extension String {
    /// A `|` would end the Markdown cell.
    func replacingBars() -> String { split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
}
