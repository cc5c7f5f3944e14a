import Foundation
import HomeAssistant
import BenchmarkFixtures
import YAMLEdit

/// Issue #4: planning the proxy-trust edit of a 10,000-line configuration.yaml, next to a
/// ruamel.yaml round-trip edit of the same file (the usual comment-preserving tool), and how many
/// bytes each changes outside the `http:` block.
enum HomeAssistantBenchmark {
    static let proxies = ["127.0.0.1", "::1", "172.16.0.0/12"]

    static func run() throws {
        let text = HomeAssistantFixtures.largeConfiguration(lines: 10_000)
        let bytes = Array(text.utf8)
        let input = HomeAssistantInput(configurationYAML: bytes, storageHTTP: nil)
        let policy = ProxyTrustPolicy(trustedProxies: proxies)
        var edited: [UInt8] = []
        let planTime = try Measure.median {
            edited = try HomeAssistantPlanner.plan(input, desired: policy, ledger: .empty).newConfigurationYAML ?? []
        }
        let httpLines = try httpBlockLines(bytes)
        let ours = changedLinesOutside(httpLines, original: text, edited: String(decoding: edited, as: UTF8.self))

        print("== Home Assistant: plan the http edit of a 10,000-line configuration.yaml (\(bytes.count / 1024) KiB)")
        print("reconcile (median of 9): \(Measure.format(planTime)); lines changed outside http: \(ours.lines) (\(ours.bytes) bytes)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bench-ha-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // RECONCILE_BENCH_KEEP=1 keeps the files, to look at what each tool wrote.
        let keep = ProcessInfo.processInfo.environment["RECONCILE_BENCH_KEEP"] != nil
        defer { if keep { print("files kept in \(directory.path)") } else { try? FileManager.default.removeItem(at: directory) } }
        try Data(edited).write(to: directory.appendingPathComponent("reconcile.yaml"))
        let source = directory.appendingPathComponent("configuration.yaml")
        try Data(bytes).write(to: source)
        let output = directory.appendingPathComponent("ruamel.yaml")
        guard let seconds = ruamel(source: source, output: output) else {
            print("ruamel.yaml: not available (python3 -m pip install ruamel.yaml)")
            return
        }
        let theirs = changedLinesOutside(httpLines, original: text,
                                         edited: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        print("ruamel.yaml round trip (median of 5, in-process, interpreter start excluded): \(Measure.format(seconds * 1000)); "
              + "lines changed outside http: \(theirs.lines) (\(theirs.bytes) bytes)")
        print("reconcile is \(String(format: "%.0f", seconds * 1000 / planTime))x faster; target: at least 20x, and 0 bytes outside http")
    }

    /// 1-based first and last line of the top-level `http:` block (up to the next top-level key).
    static func httpBlockLines(_ bytes: [UInt8]) throws -> ClosedRange<Int> {
        let document = try YAMLDocument.parse(bytes, file: "configuration.yaml")
        guard let pairs = document.root?.pairs, let index = pairs.firstIndex(where: { $0.key.scalarValue == "http" }) else {
            return 0...0
        }
        let first = pairs[index].key.start.line
        let last = index + 1 < pairs.count ? pairs[index + 1].key.start.line - 1 : Int.max
        return first...last
    }

    /// Lines (and their bytes) that differ between the files, outside the original's http lines.
    static func changedLinesOutside(_ http: ClosedRange<Int>, original: String, edited: String) -> (lines: Int, bytes: Int) {
        let a = original.components(separatedBy: "\n"), b = edited.components(separatedBy: "\n")
        // Align the parts before and after the http block; inside it, anything goes.
        let before = a.prefix(http.lowerBound - 1), after = http.upperBound == Int.max ? [] : a.suffix(from: min(a.count, http.upperBound))
        var lines = 0, bytes = 0
        for (index, line) in before.enumerated() where index >= b.count || b[index] != line {
            lines += 1
            bytes += line.utf8.count
        }
        let editedAfter = b.suffix(after.count)
        for (line, other) in zip(after, editedAfter) where line != other {
            lines += 1
            bytes += line.utf8.count
        }
        return (lines, bytes)
    }

    /// Runs the same edit with ruamel.yaml; returns its median seconds, or nil when it is not installed.
    static func ruamel(source: URL, output: URL) -> Double? {
        let script = """
        import statistics, sys, time
        from ruamel.yaml import YAML
        source, output = sys.argv[1], sys.argv[2]
        text = open(source, encoding="utf-8").read()
        samples = []
        for _ in range(6):
            start = time.perf_counter()
            yaml = YAML()
            yaml.indent(mapping=2, sequence=4, offset=2)
            yaml.width = 100000
            yaml.preserve_quotes = True
            data = yaml.load(text)
            http = data.setdefault("http", {})
            http["use_x_forwarded_for"] = True
            proxies = http.setdefault("trusted_proxies", [])
            for proxy in \(proxies):
                if proxy not in proxies:
                    proxies.append(proxy)
            with open(output, "w", encoding="utf-8") as out:
                yaml.dump(data, out)
            samples.append(time.perf_counter() - start)
        print(statistics.median(samples[1:]))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, source.path, output.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
