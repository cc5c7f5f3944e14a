import ArgumentParser
import Controller

/// An option's name and help, from its setting's one description (`SettingsFile.table`,
/// `ServeFileSettings.table`): the command line cannot drift from the settings file.
enum Described {
    static func name(_ field: PartialKeyPath<SettingsFile>) -> NameSpecification { name(SettingsFile.table[field]) }
    static func help(_ field: PartialKeyPath<SettingsFile>) -> ArgumentHelp { help(SettingsFile.table[field]) }
    static func name(serve field: PartialKeyPath<ServeFileSettings>) -> NameSpecification { name(ServeFileSettings.table[field]) }
    static func help(serve field: PartialKeyPath<ServeFileSettings>) -> ArgumentHelp { help(ServeFileSettings.table[field]) }

    private static func name<Root>(_ setting: Setting<Root>) -> NameSpecification {
        guard let option = setting.option else { preconditionFailure("\(setting.displayName) has no option") }
        return .customLong(option)
    }

    private static func help<Root>(_ setting: Setting<Root>) -> ArgumentHelp {
        ArgumentHelp(setting.help, valueName: setting.valueName)
    }

    /// The checks a value the command line parsed must pass, as the file's would (`SettingsTable.problems`).
    static func validate<Root>(_ layer: Root, _ table: SettingsTable<Root>) throws {
        if let problem = table.problems(in: layer).first { throw ValidationError(problem) }
    }
}
