import ArgumentParser
import Controller
import Foundation
@testable import reconcile
import TestSupport
import XCTest

/// `PlanCommandLine` reads a plain plan command line without argument-parser (for speed); argument-parser stays
/// the definition. These tests hold the two to each other: the same long names, and for each of them, alone
/// or all together, the same `PlanRequest`. Anything else the reader must hand back to argument-parser.
final class PlanCommandLineTests: XCTestCase {
    /// What argument-parser makes of `arguments`, as the request `runPlan` would get.
    private func parsed(_ arguments: [String]) throws -> PlanRequest {
        let command = try Reconcile.parseAsRoot(arguments)
        if let plan = command as? PlanCommand { return PlanRequest(plan) }
        let root = try XCTUnwrap(command as? Reconcile, "\(arguments) parsed as \(type(of: command))")
        XCTAssertTrue(root.plan, "\(arguments) is not a plan")
        return PlanRequest(root)
    }

    private func read(_ arguments: [String]) -> PlanRequest? {
        PlanCommandLine.read(arguments[...])
    }

    /// The part of argument-parser's own account of a command (`--experimental-dump-help`, its `ToolInfoV0`)
    /// that says which options and flags it has.
    private struct ToolInfo: Decodable {
        struct Command: Decodable { var arguments: [Argument]? }
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var kind: String
            var names: [Name]?
            var allValues: [String]?
        }
        var command: Command
    }

    private func declared(_ command: ParsableCommand.Type) throws -> [ToolInfo.Argument] {
        let info = try JSONDecoder().decode(ToolInfo.self, from: Data(command._dumpHelp().utf8))
        return (info.command.arguments ?? []).filter { $0.kind != "positional" && $0.names?.contains { $0.name == "help" } != true }
    }

    private func longName(_ argument: ToolInfo.Argument) throws -> String {
        let name = try XCTUnwrap(argument.names?.first { $0.kind == "long" }, "\(argument) has a long name")
        return "--" + name.name
    }

    /// A value argument-parser takes for the option at `index`: one of its fixed values, else a number of its own
    /// (every other option takes a path, a name or a number of seconds), so that two options read into each
    /// other's places differ.
    private func value(for argument: ToolInfo.Argument, at index: Int) -> String {
        argument.allValues?.last ?? String(index + 1)
    }

    func testTheReaderKnowsExactlyArgumentParsersNames() throws {
        let plan = try declared(PlanCommand.self).map(longName)
        XCTAssertEqual(Set(PlanCommandLine.names(subcommand: true)), Set(plan))
        XCTAssertEqual(PlanCommandLine.names(subcommand: true).count, plan.count, "each name once")
        let root = try declared(Reconcile.self).map(longName)
        XCTAssertEqual(Set(PlanCommandLine.names(subcommand: false)), Set(root))
    }

    func testEachOptionAloneIsReadAsArgumentParserReadsIt() throws {
        for (command, prefix) in [(PlanCommand.self as ParsableCommand.Type, ["plan"]), (Reconcile.self, ["--plan"])] {
            let bare = try parsed(prefix)
            for (index, argument) in try declared(command).enumerated() {
                let name = try longName(argument)
                guard !prefix.contains(name) else { continue }
                let value = value(for: argument, at: index)
                let forms = argument.kind == "flag" ? [[name]] : [[name, value], ["\(name)=\(value)"]]
                for form in forms {
                    let arguments = prefix + form
                    let expected = try parsed(arguments)
                    XCTAssertNotEqual(expected, bare, "\(arguments) changes the request")
                    XCTAssertEqual(read(arguments), expected, "\(arguments)")
                }
            }
        }
    }

    func testEveryOptionTogetherIsReadAsArgumentParserReadsIt() throws {
        for (command, prefix) in [(PlanCommand.self as ParsableCommand.Type, ["plan"]), (Reconcile.self, ["--plan"])] {
            var arguments = prefix
            for (index, argument) in try declared(command).enumerated() {
                let name = try longName(argument)
                guard !prefix.contains(name) else { continue }
                arguments += argument.kind == "flag" ? [name] : [name, value(for: argument, at: index)]
            }
            XCTAssertEqual(read(arguments), try parsed(arguments), "\(arguments)")
        }
        // The timer's command line, and the README's.
        for arguments in [["plan", "--no-runtime", "--repo", "/srv/exposure", "--root", "/", "--gateway", "home"],
                          ["--plan", "--repo", "example-repo", "--root", "example-gateway"],
                          ["--repo", "example-repo", "--plan", "--json"],
                          ["plan", "--repo", "", "--caddy", "none", "--caddy-admin", "none", "--git-timeout", "0.5"]] {
            XCTAssertEqual(read(arguments), try parsed(arguments), "\(arguments)")
        }
    }

    /// Command lines made at random (a fixed seed) from names, values and forms, right and wrong: whatever the
    /// reader takes, argument-parser takes too, as the same request.
    func testWhatTheReaderTakesArgumentParserReadsTheSame() throws {
        let names = PlanCommandLine.names(subcommand: true) + ["--plan", "--help", "--bogus", "-h", "--", "plan"]
        let values = ["x", "", "-x", "--plan", "plan", "a=b", "=", "v2", "none", "admin-api", "0", "1.5", "nan", "-1", "inf"]
        var random = SplitMix64(seed: 15)
        var taken = 0
        for _ in 0..<800 {
            var arguments: [String] = random.next() % 2 == 0 ? ["plan"] : ["--plan"]
            for _ in 0..<(1 + random.next() % 5) {
                let name = names[Int(random.next() % UInt64(names.count))]
                let value = values[Int(random.next() % UInt64(values.count))]
                switch random.next() % 3 {
                case 0: arguments.append(name)
                case 1: arguments += [name, value]
                default: arguments.append("\(name)=\(value)")
                }
            }
            guard let request = read(arguments) else { continue }
            taken += 1
            XCTAssertEqual(request, try? parsed(arguments), "\(arguments)")
        }
        XCTAssertGreaterThan(taken, 40, "the reader took some of them")
    }

    /// What the reader is not sure of is argument-parser's: help, usage errors, and forms it does not take.
    func testAnythingElseIsLeftToArgumentParser() {
        let others: [[String]] = [
            [], ["plan", "--help"], ["plan", "-h"], ["--plan", "--help"], ["help", "plan"], ["apply"], ["status", "--plan"],
            ["--repo", "x"],                                    // the root command without --plan: its help
            ["plan", "--unknown"], ["plan", "extra"], ["plan", "--", "--repo"], ["plan", "--plan"],
            ["--plan", "--no-runtime"], ["--plan", "--publish-status"], ["--plan", "plan"],
            ["plan", "--repo"], ["plan", "--repo", "--root", "x"], ["plan", "--repo=-x"], ["plan", "--gateway="], ["plan", "--diff=true"],
            ["plan", "--repo", "a", "--repo", "b"], ["plan", "--diff", "--diff"],
            ["plan", "--compose", "v3"], ["plan", "--caddy", "reload"], ["plan", "--git-timeout", "soon"],
            ["plan", "--git-timeout", "0"], ["plan", "--git-timeout", "-1"], ["plan", "--caddy", "auto", "--caddy-admin", "none"],
        ]
        for arguments in others {
            XCTAssertNil(read(arguments), "\(arguments)")
        }
    }
}

/// The built `reconcile`, read both ways: a plain command line takes `PlanCommandLine`, and the same one with an
/// option given twice (argument-parser keeps the last; the reader hands it over) takes argument-parser. The
/// bundled example must come out the same, byte for byte, with the same exit status.
final class PlanCommandLineProcessTests: XCTestCase {
    func testTheBundledExamplesPlanIsTheSameWhicheverReaderReadsIt() throws {
        let repo = packageRoot.appendingPathComponent("example-repo").path
        let root = packageRoot.appendingPathComponent("example-gateway").path
        let cases: [(command: [String], options: [String])] = [
            (["plan", "--no-runtime"], ["--diff"]), (["plan", "--no-runtime"], ["--json"]), (["plan", "--no-runtime"], ["--caddy", "none"]),
            (["--plan"], ["--diff"]), (["--plan"], ["--json"]),
        ]
        for (command, options) in cases {
            let plain = command + ["--repo", repo, "--root", root] + options
            let twice = command + ["--repo", root, "--repo", repo, "--root", root] + options
            XCTAssertNotNil(PlanCommandLine.read(plain[...]), "\(plain) is the reader's")
            XCTAssertNil(PlanCommandLine.read(twice[...]), "\(twice) is argument-parser's")
            let fast = try runProcess(try reconcileBinary(), plain), parsed = try runProcess(try reconcileBinary(), twice)
            XCTAssertEqual(fast.status, 2, "\(plain): changes pending\n\(fast.output)")
            XCTAssertEqual(parsed.status, fast.status, "\(twice)")
            XCTAssertEqual(parsed.stdout, fast.stdout, "\(twice)")
            XCTAssertEqual(parsed.stderr, fast.stderr, "\(twice)")
        }
        // An error, both ways: the same message and status.
        let missing = ["plan", "--no-runtime", "--repo", root + "/no-such-repo", "--root", root]
        let fast = try runProcess(try reconcileBinary(), missing)
        let parsed = try runProcess(try reconcileBinary(), missing + ["--repo", root + "/no-such-repo"])
        XCTAssertEqual(fast.status, 1, fast.output)
        XCTAssertTrue(fast.stderr.contains("the desired-state file does not exist"), fast.stderr)
        XCTAssertEqual(parsed.status, fast.status)
        XCTAssertEqual(parsed.stderr, fast.stderr)
    }
}

/// A small seeded generator (SplitMix64), so that a failing command line comes back on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
