import Foundation
import StatusPage
import Synchronization

/// The owner's status page as the daemon serves it: rendered once per reconcile, not per request, so a
/// phone refreshing it costs one copy of a few kilobytes.
public final class StatusPageState: Sendable {
    private let rendered: Mutex<[UInt8]>

    public init(_ model: StatusPageModel) {
        rendered = Mutex(Array(StatusPageHTML.render(model).utf8))
    }

    public func update(_ model: StatusPageModel) {
        let bytes = Array(StatusPageHTML.render(model).utf8)
        rendered.withLock { $0 = bytes }
    }

    public var html: [UInt8] { rendered.withLock { $0 } }

    /// Who may see the page. It names every service the house exposes, so it is for the home network:
    /// a request that came through a proxy (Caddy adds X-Forwarded-For) is refused unless the owner said so.
    public enum Access: String, Sendable, Hashable, CaseIterable {
        /// Direct requests only (the default): never through Caddy.
        case direct
        /// Also through a reverse proxy: the owner put their own login in front of it.
        case proxied
        /// No page.
        case off
    }

    /// Whether `headers` show the request was forwarded by a proxy.
    public static func isProxied(_ headerNames: [String]) -> Bool {
        headerNames.contains { ["x-forwarded-for", "forwarded", "via", "x-real-ip"].contains($0.lowercased()) }
    }
}
