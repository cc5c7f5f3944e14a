import Foundation

/// A real `caddy run` of one Caddyfile, its home (data and config) in a folder of the test's, its output
/// discarded; stopped at deinit. The Caddy of `CaddyGateway` and of the adapters' own tests.
public final class CaddyProcess {
    public let process = Process()

    public struct Missing: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "caddy is not installed at \(path): run scripts/setup.sh" }
    }

    public init(binary: String, caddyfile: String, home: String) throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw Missing(path: binary) }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--config", caddyfile]
        process.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Polls `ready` until it holds or `seconds` pass; whether it held.
    @discardableResult
    public func wait(seconds: Double, until ready: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if ready() { return true }
            usleep(50_000)
        }
        return ready()
    }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}
