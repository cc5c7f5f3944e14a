import Adapters
import Foundation
import TestSupportCore

/// A running `reconcile serve` (the real binary) on a free loopback port, stopped with SIGTERM.
public final class ServeProcess {
    public let process = Process()
    public let port: Int
    public let logFile: String
    private var stopped = false

    /// Starts `reconcile serve ARGUMENTS --listen 127.0.0.1:PORT` and waits until /healthz answers.
    public init(_ arguments: [String], environment extra: [String: String] = [:], logFile: String) throws {
        port = try freeLoopbackPort()
        self.logFile = logFile
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = try reconcileBinary()
        process.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let output = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? get("/healthz"))?.status == 200 { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        struct NotServing: Error, CustomStringConvertible { var description: String }
        throw NotServing(description: "reconcile serve did not answer /healthz: \(log())")
    }

    deinit {
        if !stopped && process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    public func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPResponse {
        try HTTPClient.send(HTTPRequest(method: method, address: "127.0.0.1", port: port, path: path, headers: headers, body: body, timeout: 5))
    }

    public func get(_ path: String) throws -> HTTPResponse { try request("GET", path) }

    /// /healthz as JSON.
    public func health() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(get("/healthz").body)) as? [String: Any]) ?? [:]
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; whether it held.
    public func wait(timeout: Double, _ condition: () throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            usleep(20_000)
        }
        return (try? condition()) == true
    }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout`).
    public func terminate(timeout: Double = 30) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        stopped = true
        return process.terminationStatus
    }

    /// Resident memory from /proc, in KiB: all of it (VmRSS), what the process itself allocated (RssAnon),
    /// and its proportional share once pages shared with other processes are split (Pss).
    public struct Memory: CustomStringConvertible {
        public var resident: Int, anonymous: Int, proportional: Int
        public var description: String {
            "VmRSS \(resident / 1024) MiB (RssAnon \(anonymous / 1024) MiB, the rest mapped code and data of the binary and its libraries; Pss \(proportional / 1024) MiB)"
        }
    }

    public var memory: Memory? {
        func field(_ file: String, _ name: String) -> Int? {
            guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/\(file)", encoding: .utf8),
                  let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        guard let resident = field("status", "VmRSS"), let anonymous = field("status", "RssAnon"),
              let proportional = field("smaps_rollup", "Pss") else { return nil }
        return Memory(resident: resident, anonymous: anonymous, proportional: proportional)
    }

    public func log() -> String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }
}
