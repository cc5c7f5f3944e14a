import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the connection's peer, which decides who may read the gateway's own pages.
public struct DaemonRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The IP address of the connection's other end (Caddy's, for a proxied request), nil when unknown.
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}
