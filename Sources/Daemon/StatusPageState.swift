import Controller
import FoundationEssentials
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

    /// Who may see the page: a setting (`serve.status_page`), defined with the others in Controller.
    public typealias Access = StatusPageAccess

    /// Whether `headers` show the request was forwarded by a proxy.
    public static func isProxied(_ headerNames: [String]) -> Bool {
        headerNames.contains { ["x-forwarded-for", "forwarded", "via", "x-real-ip"].contains($0.lowercased()) }
    }
}
