/// A plain HTTP/1.1 request to a TCP endpoint. `Host` is a header, separate from where we connect:
/// probes reach a site through the proxy's address with the site's own name.
public struct HTTPRequest: Sendable {
    public var method: String
    /// Where to connect: an IP address or a name, and a port.
    public var address: String
    public var port: Int
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Bind the client to this local address first (e.g. 127.0.0.2, to be "another peer" in tests).
    public var sourceAddress: String?
    /// Connect to this Unix socket instead of `address:port` (the Docker engine's API).
    public var unixSocket: String?
    /// Seconds for connecting, and again for the whole exchange after that.
    public var timeout: Double

    public init(method: String = "GET", address: String, port: Int, path: String = "/", headers: [(String, String)] = [],
                body: [UInt8] = [], sourceAddress: String? = nil, unixSocket: String? = nil, timeout: Double = 5) {
        self.unixSocket = unixSocket
        self.method = method
        self.address = address
        self.port = port
        self.path = path
        self.headers = headers
        self.body = body
        self.sourceAddress = sourceAddress
        self.timeout = timeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why an HTTP exchange failed: always the world's fault (retry later), never the input's.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public var endpoint: String
    public var reason: String

    public var description: String { "\(endpoint): \(reason)" }
}
