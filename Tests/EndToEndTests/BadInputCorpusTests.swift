import Foundation
import TestSupport
import XCTest

/// Hostile and broken inputs, through the real `reconcile` executable on a copy of the example gateway.
/// For every case, `plan` and `apply --no-runtime` must both exit 1 with a message that names the file
/// and the position (or says why there is none: a bound on the whole file, a link) and says what to do
/// (the hint in parentheses), and every file of the gateway and the repo must be byte-identical after.
/// A few inputs are fine (CRLF, a UTF-8 byte-order mark, aliases that would explode if expanded): those
/// must plan and apply, keeping the user's bytes.
final class BadInputCorpusTests: XCTestCase {
    enum Target: String, CaseIterable {
        case desired = "exposure.yaml", caddyfile = "Caddyfile", configuration = "configuration.yaml"
        case storage = ".storage/http", compose = "docker-compose.yml"
    }

    enum Position {
        /// `file:LINE:COLUMN:` exactly.
        case at(Int, Int)
        /// `file:LINE:COLUMN:` for some line and column.
        case some
        /// `file: message` (a property of the whole file: its size, its type, its mode).
        case wholeFile
    }

    struct Case {
        let name: String
        let target: Target
        /// The hostile content (nil: `prepare` does everything).
        var content: (() -> [UInt8])?
        var prepare: ((BadInputBox, URL) throws -> Void)? = nil
        var position: Position = .some
        /// Words of the message that say what is wrong (case-insensitive).
        var mentions: String
        /// The input is fine: plan and apply work and the user's bytes are kept.
        var accepted = false
        /// For an accepted input that apply rewrites in place (JSON values): the odd bytes that must survive.
        var keeps: [UInt8]? = nil
        /// What `plan` exits with: 1 (refused), or 2 when only writing is refused (a read-only file).
        var planStatus: Int32 = 1
    }

    func testCorpusHasAtLeastAHundredCasesOverEveryFile() {
        let cases = Self.cases()
        XCTAssertGreaterThanOrEqual(cases.count, 100)
        for target in Target.allCases {
            XCTAssertGreaterThanOrEqual(cases.filter { $0.target == target }.count, 12, "\(target.rawValue) has too few cases")
        }
        XCTAssertEqual(Set(cases.map(\.name)).count, cases.count, "case names are unique")
    }

    func testEveryBadInputIsRefusedWithFilePositionAndAdviceAndChangesNothing() throws {
        let binary = try reconcileBinary()
        var refused = 0, accepted = 0
        for item in Self.cases() {
            let box = try BadInputBox(storageMode: item.target == .storage)
            let url = box.url(of: item.target)
            if let content = item.content { try Data(content()).write(to: url) }
            try item.prepare?(box, url)
            let before = try box.snapshot()
            let started = Date()
            // Files only, like the apply beside it (the engine's side: `PlanApplySameReasonTests`).
            let plan = try box.run(binary, ["plan", "--no-runtime"])
            // Storage mode: the user says Home Assistant is stopped (reconcile cannot stop it with --no-runtime).
            let apply = try box.run(binary, ["apply", "--no-runtime"] + (item.target == .storage ? ["--ha-stopped"] : []))
            let seconds = Date().timeIntervalSince(started)
            let label = "[\(item.name)] plan: \(plan.stderr)\napply: \(apply.stderr)"
            if seconds > 2 { print("bad-input corpus: \(item.name) took \(String(format: "%.1f", seconds)) s for plan + apply") }
            if item.accepted {
                accepted += 1
                XCTAssertEqual(plan.status, 2, label + plan.stdout)
                XCTAssertEqual(apply.status, 0, label + apply.stdout)
                if item.target == .desired {
                    // The desired state is only read: apply acted on it when the Caddyfile changed.
                    let caddyfile = box.url(of: .caddyfile)
                    XCTAssertNotEqual(try Data(contentsOf: caddyfile), before[caddyfile.path]?.content, "[\(item.name)] apply wrote the Caddyfile")
                    continue
                }
                let written = try Data(contentsOf: url)
                XCTAssertNotEqual(written, before[url.path]?.content, "[\(item.name)] apply wrote the file")
                if let keeps = item.keeps {
                    XCTAssertNotNil(written.range(of: Data(keeps)), "[\(item.name)] the user's odd bytes are kept")
                } else {
                    XCTAssertTrue(Self.isSubsequence(before[url.path]?.content ?? Data(), of: written),
                                  "[\(item.name)] the edit only inserts: every byte the user wrote is still there, in order")
                }
                continue
            }
            refused += 1
            for (command, result) in [("plan", plan), ("apply", apply)] {
                if command == "plan" && item.planStatus != 1 {
                    XCTAssertEqual(result.status, item.planStatus, "[\(item.name)] plan exit status: \(result.stderr)")
                    continue
                }
                XCTAssertEqual(result.status, 1, "[\(item.name)] \(command) exit status: \(result.stdout)\n\(result.stderr)")
                XCTAssertFalse(result.killedBySignal, "[\(item.name)] \(command) crashed")
                Self.checkMessage(result.stderr, names: box.shownPath(of: item.target, url: url), item: item, command: command)
            }
            let after = try box.snapshot()
            XCTAssertEqual(after.keys.sorted(), before.keys.sorted(), "[\(item.name)] files appeared or vanished")
            for (path, entry) in before where after[path] != entry {
                XCTFail("[\(item.name)] \(path) changed")
            }
        }
        print("bad-input corpus: \(refused) inputs refused, \(accepted) accepted, each through plan and apply --no-runtime")
    }

    static func isSubsequence(_ small: Data, of large: Data) -> Bool {
        var iterator = large.makeIterator()
        return small.allSatisfy { byte in
            while let next = iterator.next() { if next == byte { return true } }
            return false
        }
    }

    /// `error: FILE:LINE:COLUMN: message (what to do)`, the form every refusal must take.
    static func checkMessage(_ stderr: String, names file: String, item: Case, command: String) {
        let label = "[\(item.name)] \(command): \(stderr)"
        let lines = stderr.split(separator: "\n").filter { $0.contains(file + ":") }
        // With several problems, the one this case is about.
        guard let line = lines.first(where: { $0.lowercased().contains(item.mentions.lowercased()) }) ?? lines.first else {
            return XCTFail("\(label)\n-> does not name \(file)")
        }
        let rest = line[line.range(of: file + ":")!.upperBound...]
        let positioned = rest.range(of: #"^\d+:\d+: "#, options: .regularExpression) != nil
        switch item.position {
        case .at(let l, let c): XCTAssertTrue(rest.hasPrefix("\(l):\(c): "), "\(label)\n-> expected position \(l):\(c)")
        case .some: XCTAssertTrue(positioned, "\(label)\n-> no line:column")
        case .wholeFile: XCTAssertTrue(rest.hasPrefix(" "), "\(label)\n-> expected a message about the whole file")
        }
        XCTAssertTrue(line.contains(" (") && stderr.contains(")"), "\(label)\n-> says nothing about what to do")
        XCTAssertTrue(line.lowercased().contains(item.mentions.lowercased()), "\(label)\n-> should mention '\(item.mentions)'")
    }
}

/// The example gateway and repo in a fresh directory (a `Sandbox`), optionally in Home Assistant's storage mode.
final class BadInputBox: Sandbox {
    init(storageMode: Bool) throws {
        try super.init(prefix: "reconcile-bad")
        if storageMode {
            try FileManager.default.createDirectory(at: url(of: .storage).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: packageRoot.appendingPathComponent("Tests/HomeAssistantTests/Fixtures/storage-http.json")).write(to: url(of: .storage))
        }
    }

    /// A case may leave folders unreadable: open them so the tree can go.
    deinit { _ = chmodTree(root) }

    func url(of target: BadInputCorpusTests.Target) -> URL {
        switch target {
        case .desired: return tree.exposureFile
        case .caddyfile: return tree.caddyfile
        case .configuration: return tree.configurationYAML
        case .storage: return tree.homeAssistantDir.appendingPathComponent(".storage/http")
        case .compose: return tree.composeFile
        }
    }

    /// How messages name the file: the path as reconcile was given it.
    func shownPath(of target: BadInputCorpusTests.Target, url: URL) -> String { url.path }

    func run(_ binary: URL, _ arguments: [String]) throws -> RunResult {
        try runProcess(binary, arguments + tree.arguments, timeout: 60)
    }

    struct Entry: Equatable {
        var content: Data?
        var link: String?
        var mode: Int
    }

    /// Every file of the gateway (its state dir excepted: apply may record a failed attempt there) and the repo.
    func snapshot() throws -> [String: Entry] {
        var result: [String: Entry] = [:]
        for base in [gateway, repo] {
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            for case let relative as String in walker {
                let path = base.appendingPathComponent(relative).path
                if path.hasPrefix(stateDir.path) { continue }
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                let type = attributes[.type] as? FileAttributeType
                if type == .typeDirectory { continue }
                let link = type == .typeSymbolicLink ? try FileManager.default.destinationOfSymbolicLink(atPath: path) : nil
                // Only a regular file's bytes (through a link too): reading a named pipe would wait forever.
                var info = stat()
                let regular = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
                result[path] = Entry(content: regular ? FileManager.default.contents(atPath: path) : nil, link: link,
                                     mode: (attributes[.posixPermissions] as? Int) ?? -1)
            }
        }
        return result
    }
}

/// Makes a tree writable again so it can be removed.
@discardableResult
func chmodTree(_ url: URL) -> Bool {
    guard let walker = FileManager.default.enumerator(atPath: url.path) else { return false }
    for case let relative as String in walker {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.appendingPathComponent(relative).path)
    }
    return true
}
