#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over POSIX sockets, for Caddy's admin API and for probes.
/// No TLS (HTTPS probes go through `curl`), one request per connection, bounded in time and size.
public enum HTTPClient {
    /// Largest response body read, in bytes.
    public static let maxResponseBytes = 4 << 20

    public static func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let endpoint = request.unixSocket ?? "\(request.address):\(request.port)"
        let fd: Int32
        if let path = request.unixSocket {
            fd = try connectUnix(path, timeout: request.timeout)
        } else {
            fd = try connect(request, endpoint: endpoint)
        }
        defer { close(fd) }
        let deadline = monotonicSeconds() + request.timeout
        try writeAll(fd, encode(request), endpoint: endpoint, deadline: deadline)
        let raw = try readAll(fd, endpoint: endpoint, deadline: deadline)
        return try HTTPResponseParser.parse(raw, endpoint: endpoint)
    }

    static func encode(_ request: HTTPRequest) -> [UInt8] {
        var head = "\(request.method) \(request.path) HTTP/1.1\r\n"
        let names = Set(request.headers.map { $0.0.lowercased() })
        if !names.contains("host") { head += "Host: \(request.address):\(request.port)\r\n" }
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        if !request.body.isEmpty || request.method == "POST" { head += "Content-Length: \(request.body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + request.body
    }

    static func connect(_ request: HTTPRequest, endpoint: String) throws(HTTPError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(request.address, String(request.port), &hints, &list)
        guard status == 0, let first = list else {
            throw HTTPError(endpoint: endpoint, reason: "cannot resolve the address: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), first.pointee.ai_protocol)
        guard fd >= 0 else { throw HTTPError(endpoint: endpoint, reason: "cannot open a socket: \(String(cString: strerror(errno)))") }
        do {
            if let source = request.sourceAddress { try bind(fd, to: source, family: first.pointee.ai_family, endpoint: endpoint) }
            try connectWithTimeout(fd, first.pointee.ai_addr, first.pointee.ai_addrlen, timeout: request.timeout, endpoint: endpoint)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func connectUnix(_ path: String, timeout: Double) throws(HTTPError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw HTTPError(endpoint: path, reason: "socket path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HTTPError(endpoint: path, reason: "cannot open a socket: \(String(cString: strerror(errno)))") }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        do {
            try withUnsafePointer(to: &address) { pointer throws(HTTPError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (socketAddress) throws(HTTPError) in
                    try connectWithTimeout(fd, UnsafeMutablePointer(mutating: socketAddress), length, timeout: timeout, endpoint: path)
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func bind(_ fd: Int32, to source: String, family: Int32, endpoint: String) throws(HTTPError) {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_flags = AI_NUMERICHOST
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(source, "0", &hints, &list) == 0, let first = list else {
            throw HTTPError(endpoint: endpoint, reason: "cannot use \(source) as the source address")
        }
        defer { freeaddrinfo(list) }
        guard Glibc.bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            throw HTTPError(endpoint: endpoint, reason: "cannot bind to \(source): \(String(cString: strerror(errno)))")
        }
    }

    private static func connectWithTimeout(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
                                           timeout: Double, endpoint: String) throws(HTTPError) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { throw HTTPError(endpoint: endpoint, reason: "cannot connect: \(String(cString: strerror(errno)))") }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout * 1000))
            guard ready > 0 else { throw HTTPError(endpoint: endpoint, reason: "connection timed out after \(timeout) s") }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            guard error == 0 else { throw HTTPError(endpoint: endpoint, reason: "cannot connect: \(String(cString: strerror(error)))") }
        }
        _ = fcntl(fd, F_SETFL, flags)
    }

    private static func wait(_ fd: Int32, for events: Int32, deadline: Double, endpoint: String) throws(HTTPError) {
        let remaining = deadline - monotonicSeconds()
        guard remaining > 0 else { throw HTTPError(endpoint: endpoint, reason: "no complete answer in time") }
        var poller = pollfd(fd: fd, events: Int16(events), revents: 0)
        guard poll(&poller, 1, Int32(remaining * 1000)) > 0 else {
            throw HTTPError(endpoint: endpoint, reason: "no complete answer in time")
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], endpoint: String, deadline: Double) throws(HTTPError) {
        var offset = 0
        while offset < bytes.count {
            try wait(fd, for: Int32(POLLOUT), deadline: deadline, endpoint: endpoint)
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw HTTPError(endpoint: endpoint, reason: "cannot send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    private static func readAll(_ fd: Int32, endpoint: String, deadline: Double) throws(HTTPError) -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            try wait(fd, for: Int32(POLLIN), deadline: deadline, endpoint: endpoint)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw HTTPError(endpoint: endpoint, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return data }
            data.append(contentsOf: chunk[0..<count])
            if data.count > maxResponseBytes + 64 << 10 {
                throw HTTPError(endpoint: endpoint, reason: "answer larger than \(maxResponseBytes) bytes")
            }
        }
    }

    static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
