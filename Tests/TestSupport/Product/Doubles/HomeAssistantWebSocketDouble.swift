import Adapters
import Foundation
import TestSupportCore
#if canImport(Glibc)
import Glibc
#endif

/// A double of Home Assistant 2026.8's WebSocket API (which cannot run here), on a loopback port, following
/// the documented protocol: `auth_required` → `auth` → `auth_ok`/`auth_invalid`; `http/config`;
/// `http/config/configure` (stores the pending config, answers `{restart: true}`, then drops every
/// connection as the restart does and comes back running the trial); `http/config/promote` (`not_allowed`
/// without a clean pending). `revert()` is the 5-minute timer firing.
public final class HomeAssistantWebSocketDouble: @unchecked Sendable {
    public let port: Int
    public let token: String
    private let listener: Int32
    private let lock = NSLock()
    private var stable: [String: Any]
    private var pending: [String: Any]?
    private var active = "stable"
    private var receivedMessages: [[String: Any]] = []
    private var configuredConfigs: [[String: Any]] = []
    /// Every command received, in order.
    public var received: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return receivedMessages }
    /// The configs `http/config/configure` was given (checked for metadata by the tests).
    public var configured: [[String: Any]] { lock.lock(); defer { lock.unlock() }; return configuredConfigs }

    public init(token: String, stable: [String: Any]) throws {
        self.token = token
        self.stable = stable
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
        listen(listener, 16)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { shutdown(listener, Int32(SHUT_RDWR)); close(listener) }

    public var state: (stable: [String: Any], pending: [String: Any]?, active: String) {
        lock.lock(); defer { lock.unlock() }
        return (stable, pending, active)
    }

    /// The trial's 5 minutes are up: back to stable, the pending marked for good.
    public func revert() {
        lock.lock(); defer { lock.unlock() }
        guard active == "pending", var trial = pending else { return }
        trial["error"] = "not_promoted"
        pending = trial
        active = "stable"
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var buffer: [UInt8] = []
        func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer += chunk[0..<count]
            return true
        }
        // The upgrade.
        while !String(decoding: buffer, as: UTF8.self).contains("\r\n\r\n") { guard fill() else { return } }
        let head = String(decoding: buffer, as: UTF8.self)
        buffer = Array(buffer[(Array(head.utf8).firstRange(of: Array("\r\n\r\n".utf8))!.upperBound)...])
        guard let key = head.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("sec-websocket-key:") })?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) else { return }
        let accept = HomeAssistantWebSocket.acceptValue(forKey: key)
        write(fd, Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n".utf8))

        func receive() -> [String: Any]? {
            while true {
                guard buffer.count >= 2 || fill(), buffer.count >= 2 else { return nil }
                var length = Int(buffer[1] & 0x7F), offset = 2
                if length == 126 { while buffer.count < 4 { guard fill() else { return nil } }; length = Int(buffer[2]) << 8 | Int(buffer[3]); offset = 4 }
                guard buffer[1] & 0x80 != 0 else { return nil }  // a client frame must be masked
                while buffer.count < offset + 4 + length { guard fill() else { return nil } }
                let mask = Array(buffer[offset..<offset + 4])
                let payload = buffer[(offset + 4)..<(offset + 4 + length)].enumerated().map { $0.element ^ mask[$0.offset % 4] }
                buffer.removeFirst(offset + 4 + length)
                return (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
            }
        }
        func send(_ object: [String: Any]) {
            let payload = Array(try! JSONSerialization.data(withJSONObject: object))
            var frame: [UInt8] = [0x81]
            if payload.count < 126 { frame.append(UInt8(payload.count)) } else { frame += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] }
            write(fd, frame + payload)
        }

        send(["type": "auth_required", "ha_version": "2026.8.0"])
        guard let auth = receive(), auth["type"] as? String == "auth", auth["access_token"] as? String == token else {
            send(["type": "auth_invalid", "message": "Invalid access token or password"])
            return
        }
        send(["type": "auth_ok", "ha_version": "2026.8.0"])
        while let message = receive() {
            lock.lock()
            receivedMessages.append(message)
            lock.unlock()
            let id = message["id"] as? Int ?? 0
            func result(_ value: Any) { send(["id": id, "type": "result", "success": true, "result": value]) }
            func error(_ code: String, _ text: String) { send(["id": id, "type": "result", "success": false, "error": ["code": code, "message": text]]) }
            switch message["type"] as? String {
            case "http/config":
                let now = state
                result(["stable": now.stable, "pending": now.pending ?? NSNull(), "active_config_type": now.active,
                        "revert_at": now.active == "pending" ? "2026-12-03T20:05:00+00:00" : NSNull(), "default": [:] as [String: Any]])
            case "http/config/configure":
                guard let config = message["config"] as? [String: Any] else { error("invalid_format", "config required"); continue }
                lock.lock()
                configuredConfigs.append(config)
                var trial = config
                trial["created_at"] = "2026-12-03T20:00:00+00:00"
                trial["error"] = NSNull()
                trial["error_message"] = NSNull()
                pending = trial
                active = "pending"  // it restarts into the trial
                lock.unlock()
                result(["restart": true])
                return  // the restart drops the connection
            case "http/config/promote":
                lock.lock()
                if active == "pending", var trial = pending, trial["error"] is NSNull {
                    trial["created_at"] = "2026-12-03T20:01:00+00:00"
                    stable = trial
                    pending = nil
                    active = "stable"
                    lock.unlock()
                    result(NSNull())
                } else {
                    lock.unlock()
                    error("not_allowed", "No pending configuration to promote")
                }
            default:
                error("unknown_command", "Unknown command.")
            }
        }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
