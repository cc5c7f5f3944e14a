import EssentialsExtras
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Why a talk with Home Assistant's WebSocket API failed. Never holds the access token.
public struct HomeAssistantWebSocketError: Error, CustomStringConvertible, Sendable {
    public var endpoint: String
    public var reason: String
    /// Home Assistant's error code for a refused command (`not_allowed`, `invalid_format`…).
    public var code: String?

    public init(endpoint: String, reason: String, code: String? = nil) {
        self.endpoint = endpoint
        self.reason = reason
        self.code = code
    }

    public var description: String { "Home Assistant's WebSocket API at \(endpoint): \(reason)" }
}

/// Home Assistant's WebSocket API (`/api/websocket`), as far as the http trial needs it: the handshake
/// (RFC 6455, client frames masked), `auth` with an access token first, then commands answered by `result`.
public final class HomeAssistantWebSocket {
    public let endpoint: String
    private let fd: Int32
    private let timeout: Double
    private var buffer: [UInt8] = []
    private var nextID = 1

    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    /// A Home Assistant message is small; a bigger frame is refused rather than buffered.
    static let maxMessageBytes = 4 << 20

    /// The `Sec-WebSocket-Accept` a server answers to `key` (RFC 6455 section 4.2.2).
    public static func acceptValue(forKey key: String) -> String {
        Data(SHA1.hash(Array((key + acceptGUID).utf8))).base64EncodedString()
    }

    /// Connects, upgrades and authenticates. `token` is sent once, in the `auth` message, and nowhere else.
    public init(address: String, port: Int, path: String = "/api/websocket", token: String, timeout: Double = 10) throws(HomeAssistantWebSocketError) {
        endpoint = "\(address.contains(":") ? "[\(address)]" : address):\(port)"
        self.timeout = timeout
        do {
            fd = try HTTPClient.connect(HTTPRequest(address: address, port: port, path: path, timeout: timeout), endpoint: endpoint)
        } catch {
            throw HomeAssistantWebSocketError(endpoint: "\(address):\(port)", reason: error.reason)
        }
        // A failure from here on needs no close: every stored property is set, so the object is released and
        // `deinit` closes the descriptor once (closing it here too could close a number another thread reused).
        try handshake(host: endpoint, path: path)
        let first = try receiveJSON()
        guard first["type"]?.string == "auth_required" else { throw failure("expected auth_required, got \(first["type"]?.string ?? "nothing")") }
        try sendJSON(["type": "auth", "access_token": .string(token)])
        let answer = try receiveJSON()
        switch answer["type"]?.string {
        case "auth_ok": break
        case "auth_invalid":
            var refused = failure("the access token was refused (auth_invalid): check the token file; it must be a long-lived token of an administrator")
            refused.code = "auth_invalid"
            throw refused
        default: throw failure("unexpected answer to auth: \(answer["type"]?.string ?? "nothing")")
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends `{"id": n, "type": type, …fields}` and returns the `result` of the answer with that id.
    public func command(_ type: String, _ fields: [String: JSONValue] = [:]) throws(HomeAssistantWebSocketError) -> JSONValue? {
        let id = nextID
        nextID += 1
        var message = fields
        message["id"] = .integer(id)
        message["type"] = .string(type)
        try sendJSON(message)
        while true {
            let answer = try receiveJSON()
            guard answer["id"] == .integer(id), answer["type"]?.string == "result" else { continue }
            if answer["success"]?.bool == true { return answer["result"] }
            let error = answer["error"]
            var failure = failure("\(type) was refused: \(error?["message"]?.string ?? "no reason given")")
            failure.code = error?["code"]?.string
            throw failure
        }
    }

    // MARK: frames

    private func handshake(host: String, path: String) throws(HomeAssistantWebSocketError) {
        var random = [UInt8](repeating: 0, count: 16)
        for index in random.indices { random[index] = UInt8.random(in: 0...255) }
        let key = Data(random).base64EncodedString()
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try write(Array(request.utf8))
        var head: [UInt8] = []
        while !head.ends(with: [13, 10, 13, 10]) {
            if buffer.isEmpty { try fill() }
            head.append(buffer.removeFirst())
            if head.count > 16 << 10 { throw failure("the upgrade answer is too long") }
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first, status.split(separator: " ").dropFirst().first == "101" else {
            throw failure("no WebSocket upgrade: \(lines.first ?? "no answer")")
        }
        let expected = Self.acceptValue(forKey: key)
        let accept = lines.first { $0.lowercased().hasPrefix("sec-websocket-accept:") }?
            .split(separator: ":", maxSplits: 1).last.map { $0.trimmingWhitespace() }
        guard accept == expected else { throw failure("the upgrade answer has a wrong Sec-WebSocket-Accept") }
    }

    func sendJSON(_ object: [String: JSONValue]) throws(HomeAssistantWebSocketError) {
        try sendFrame(opcode: 0x1, payload: JSONValue.object(object).encoded())
    }

    func receiveJSON() throws(HomeAssistantWebSocketError) -> [String: JSONValue] {
        let text = try receiveMessage()
        guard let object = JSONValue.parse(text)?.object else {
            throw failure("an answer is not a JSON object")
        }
        return object
    }

    private func sendFrame(opcode: UInt8, payload: [UInt8]) throws(HomeAssistantWebSocketError) {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [UInt8(0x80 | 126), UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(UInt8(0x80 | 127))
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(truncatingIfNeeded: payload.count >> shift)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    /// One whole text message (fragments joined); pings are answered, a close ends the talk.
    private func receiveMessage() throws(HomeAssistantWebSocketError) -> [UInt8] {
        var message: [UInt8] = []
        while true {
            let header = try take(2)
            let fin = header[0] & 0x80 != 0, opcode = header[0] & 0x0F
            var length = Int(header[1] & 0x7F)
            if length == 126 {
                let bytes = try take(2)
                length = Int(bytes[0]) << 8 | Int(bytes[1])
            } else if length == 127 {
                length = try take(8).reduce(0) { $0 << 8 | Int($1) }
            }
            guard length >= 0, length + message.count <= Self.maxMessageBytes else { throw failure("an answer is larger than \(Self.maxMessageBytes) bytes") }
            let mask = header[1] & 0x80 != 0 ? try take(4) : nil
            var payload = try take(length)
            if let mask { payload = payload.enumerated().map { $0.element ^ mask[$0.offset % 4] } }
            switch opcode {
            case 0x8: throw failure("Home Assistant closed the connection")
            case 0x9: try sendFrame(opcode: 0xA, payload: payload)
            case 0xA: continue
            default:
                message += payload
                if fin { return message }
            }
        }
    }

    private func take(_ count: Int) throws(HomeAssistantWebSocketError) -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    private func fill() throws(HomeAssistantWebSocketError) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { throw failure("no answer in \(timeout) s") }
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw failure(count == 0 ? "Home Assistant closed the connection" : "cannot read: \(String(cString: strerror(errno)))") }
        buffer += chunk[0..<count]
    }

    private func write(_ bytes: [UInt8]) throws(HomeAssistantWebSocketError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw failure("cannot send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    private func failure(_ reason: String) -> HomeAssistantWebSocketError {
        HomeAssistantWebSocketError(endpoint: endpoint, reason: reason)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
