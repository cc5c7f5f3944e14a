import ArgumentParser
import Controller
import Foundation
@testable import reconcile
import XCTest

/// The command line against the one table of settings (`SettingsFile.table`, `ServeFileSettings.table`):
/// every option of every command is a setting of the table or one of the few options that say what this
/// run does; it shows the table's help; and its value lands in the setting's own field, the same one the
/// settings file's key fills.
final class SettingsCommandLineTests: XCTestCase {
    /// Options that are not settings: what this one run does, or how it prints.
    private let runOptions: Set<String> = ["config", "plan", "diff", "json", "verbose", "no-runtime", "ha-stopped", "publish-status",
                                           "no-publish-status", "lock-timeout", "all"]

    private struct ToolInfo: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var kind: String
            var names: [Name]?
            var abstract: String?
            var valueName: String?
        }
        var command: Command
    }

    private struct Declared {
        var option: String
        var kind: String
        var abstract: String?
        var valueName: String?
    }

    /// The long options `command` declares, as argument-parser describes them (`--experimental-dump-help`).
    private func declared(_ command: ParsableCommand.Type) throws -> [Declared] {
        let info = try JSONDecoder().decode(ToolInfo.self, from: Data(command._dumpHelp().utf8))
        return try (info.command.arguments ?? []).filter { $0.kind != "positional" && $0.names?.contains { $0.name == "help" } != true }.map {
            let long = try XCTUnwrap($0.names?.first { $0.kind == "long" }?.name, "\($0.names ?? []) has a long name")
            return Declared(option: long, kind: $0.kind, abstract: $0.abstract, valueName: $0.valueName)
        }
    }

    /// A setting of either table.
    private enum TableSetting {
        case main(Setting<SettingsFile>)
        case serve(Setting<ServeFileSettings>)

        var help: String { switch self { case .main(let s): s.help; case .serve(let s): s.help } }
        var valueName: String? { switch self { case .main(let s): s.valueName; case .serve(let s): s.valueName } }
        /// Its key as the settings file nests it.
        var key: String? { switch self { case .main(let s): s.key; case .serve(let s): s.key.map { "serve:\n  " + $0 } } }
        var sample: String? { switch self { case .main(let s): s.sample; case .serve(let s): s.sample } }

        /// The layer that holds `text` as this setting's value, as the table reads it.
        func layer(_ text: String) -> SettingsFile? {
            var layer = SettingsFile()
            switch self {
            case .main(let setting):
                guard setting.set(text, in: &layer) else { return nil }
            case .serve(let setting):
                var serve = ServeFileSettings()
                guard setting.set(text, in: &serve) else { return nil }
                layer.serve = serve
            }
            return layer
        }
    }

    private func setting(_ option: String) -> TableSetting? {
        if let setting = SettingsFile.table.settings.first(where: { $0.option == option }) { return .main(setting) }
        return ServeFileSettings.table.settings.first { $0.option == option }.map { .serve($0) }
    }

    private let commands: [(ParsableCommand.Type, [String])] = [
        (PlanCommand.self, ["plan"]), (Reconcile.self, ["--plan"]), (ApplyCommand.self, ["apply"]),
        (ServeCommand.self, ["serve"]), (StatusCommand.self, ["status"]),
    ]

    /// What argument-parser made of `arguments`, as the one layer of settings the command resolves with.
    private func layer(_ arguments: [String]) throws -> SettingsFile {
        let command = try Reconcile.parseAsRoot(arguments)
        switch command {
        case let plan as PlanCommand:
            let request = PlanRequest(plan)
            return (request.engine ?? SettingsFile()).over(request.gateway)
        case let root as Reconcile: return PlanRequest(root).gateway
        case let apply as ApplyCommand: return apply.runtime.layer.over(apply.gateway.layer)
        case let serve as ServeCommand:
            var layer = serve.layer.over(serve.gateway.layer)
            if layer.serve == ServeFileSettings() { layer.serve = nil }
            return layer
        case let status as StatusCommand: return status.gateway.layer
        default:
            XCTFail("\(arguments) parsed as \(type(of: command))")
            return SettingsFile()
        }
    }

    func testEveryOptionIsASettingOfTheTableAndShowsItsHelp() throws {
        var seen: Set<String> = []
        for (command, _) in commands {
            for argument in try declared(command) where !runOptions.contains(argument.option) {
                let described = try XCTUnwrap(setting(argument.option), "--\(argument.option) of \(command) is in no settings table")
                XCTAssertEqual(argument.abstract, described.help, "--\(argument.option)")
                if argument.kind != "flag" { XCTAssertEqual(argument.valueName, described.valueName, "--\(argument.option)'s value name") }
                seen.insert(argument.option)
            }
        }
        // And every option of the table is on some command.
        let options = SettingsFile.table.settings.compactMap(\.option) + ServeFileSettings.table.settings.compactMap(\.option)
        XCTAssertEqual(Set(options), seen, "options of the table that no command declares, or the reverse")
    }

    func testEachOptionFillsItsSettingsFieldAsTheSettingsFileKeyDoes() throws {
        var checked = 0
        for (command, prefix) in commands {
            for argument in try declared(command) where !runOptions.contains(argument.option) {
                let described = try XCTUnwrap(setting(argument.option))
                let value = try XCTUnwrap(described.sample, "--\(argument.option) has a sample value")
                let arguments = prefix + (argument.kind == "flag" ? ["--" + argument.option] : ["--" + argument.option, value])
                let expected = try XCTUnwrap(described.layer(value))
                XCTAssertNotEqual(expected, SettingsFile(), "\(arguments) sets something")
                XCTAssertEqual(try layer(arguments), expected, "\(arguments)")
                if let key = described.key {
                    XCTAssertEqual(try SettingsFile.parse(Array("\(key): \(value)\n".utf8), file: "r.yaml"), expected, "\(key): \(value)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 40)
    }

    /// A value the settings file refuses, the command line refuses too (a usage error, before anything runs).
    func testValuesTheSettingsFileRefusesAreUsageErrors() throws {
        for (arguments, message) in [(["plan", "--git-timeout", "0"], "--git-timeout must be a positive number of seconds"),
                                     (["apply", "--probe-attempts", "0"], "--probe-attempts must be a positive number of attempts"),
                                     (["serve", "--max-body", "0"], "--max-body must be a positive number of bytes"),
                                     (["serve", "--interval", "soon"], "--interval must be a duration")] {
            XCTAssertThrowsError(try Reconcile.parseAsRoot(arguments), "\(arguments)") { error in
                XCTAssertTrue(Reconcile.message(for: error).contains(message), "\(arguments): \(Reconcile.message(for: error))")
            }
        }
    }

    /// `reconcile --plan` is `reconcile plan`, through argument-parser (`reconcile plan` alone has engine options).
    func testPlanAsAFlagIsTheSamePlanRequest() throws {
        let root = try XCTUnwrap(try Reconcile.parseAsRoot(["--plan", "--repo", "/r", "--json"]) as? Reconcile)
        let plan = try XCTUnwrap(try Reconcile.parseAsRoot(["plan", "--repo", "/r", "--json"]) as? PlanCommand)
        XCTAssertTrue(root.plan)
        var expected = PlanRequest(plan)
        expected.engine = nil
        XCTAssertEqual(PlanRequest(root), expected)
        XCTAssertEqual(expected.gateway.repo, "/r")
        XCTAssertTrue(expected.format.json)
    }
}
