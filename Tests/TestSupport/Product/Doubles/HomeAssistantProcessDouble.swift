import Adapters
import Foundation
import GatewayHarness

/// Home Assistant's process for storage mode (2026.8+, which cannot run here): a script that records each
/// call and can fail or rewrite the file at stop, driven through the real control adapter (argv commands).
public final class HomeAssistantProcessDouble {
    public let directory: URL
    public let script: URL
    public let storage: URL

    public init(gateway: CaddyGateway) throws {
        directory = gateway.root.appendingPathComponent("ha-double")
        storage = gateway.tree.homeAssistantDir.appendingPathComponent(".storage/http")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: storage.deletingLastPathComponent(), withIntermediateDirectories: true)
        script = directory.appendingPathComponent("home-assistant-double.sh")
        let text = """
        #!/bin/sh
        dir="$(dirname "$0")"
        echo "$1" >> "$dir/calls"
        case "$1" in
          stop)
            [ -f "$dir/fail-stop" ] && { echo 'no such service' >&2; exit 1; }
            # Home Assistant writes its own copy back when it stops.
            if [ -f "$dir/write-at-stop" ]; then cp "$dir/write-at-stop" "$2"; rm "$dir/write-at-stop"; fi ;;
          start)
            if [ -f "$dir/fail-start-once" ]; then rm "$dir/fail-start-once"; echo 'port in use' >&2; exit 1; fi ;;
        esac
        exit 0
        """
        try Data(text.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
    }

    public func control(readinessPort: Int) -> HomeAssistantControl {
        HomeAssistantControl(stop: [script.path, "stop", storage.path], start: [script.path, "start", storage.path],
                             restart: [script.path, "restart", storage.path], commandTimeout: .seconds(20),
                             readiness: HomeAssistantReadiness(port: readinessPort, path: "/", timeout: .seconds(10), interval: .milliseconds(100)))
    }

    public var calls: [String] {
        ((try? String(contentsOf: directory.appendingPathComponent("calls"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public func arm(_ name: String, content: Data = Data()) throws { try content.write(to: directory.appendingPathComponent(name)) }
}
