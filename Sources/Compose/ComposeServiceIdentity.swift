import Diagnostics
import YAMLEdit

/// What the gateway's compose file says a service is reached by: the host ports it publishes and the
/// names its container answers to on a Compose network. A policy rule that names a service holds for
/// whatever reaches it, not only for a desired-state entry that happens to carry its name.
public struct ComposeServiceIdentity: Sendable, Hashable {
    public var service: String
    /// Host ports from `ports:` (short `[IP:]HOST:CONTAINER[/PROTO]` and long `published:`).
    public var publishedPorts: [Int] = []
    /// `container_name:`, when set.
    public var containerName: String?
    /// Where the service's name is in the compose file, for messages.
    public var position: SourcePosition
    public var line: Int { position.line }

    /// True when `host` names this service's container on a Compose network: the service name, its
    /// `container_name`, or a name Compose gives it (`PROJECT-SERVICE-N`, `PROJECT_SERVICE_N`).
    public func isReached(byHost host: String) -> Bool {
        let host = host.lowercased(), service = service.lowercased()
        if host == service || host == containerName?.lowercased() { return true }
        // PROJECT SEP SERVICE SEP N, with SEP '-' (Compose v2) or '_' (v1) both times.
        var rest = Substring(host)
        let digits = rest.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard digits > 0 else { return false }
        rest = rest.dropLast(digits)
        guard let separator = rest.last, separator == "-" || separator == "_" else { return false }
        rest = rest.dropLast()
        guard rest.hasSuffix(service) else { return false }
        rest = rest.dropLast(service.count)
        return rest.count > 1 && rest.last == separator
    }
}

public enum ComposeServiceIdentities {
    /// Every service of the file, in file order. A file our parser refuses gives no identities: the plan
    /// reports that file's problem on its own.
    public static func read(composeBytes: [UInt8], composeFile: String) -> [ComposeServiceIdentity] {
        guard let compose = try? ComposeFile.parse(composeBytes, file: composeFile) else { return [] }
        return compose.services.map { service in
            var identity = ComposeServiceIdentity(service: service.name, position: service.pair.key.start.position)
            guard let definition = service.definition else { return identity }
            identity.containerName = compose.anchors.lookup("container_name", in: definition)?.pair.value.scalarValue
            if let ports = compose.anchors.lookup("ports", in: definition)?.pair.value,
               let items = compose.anchors.resolve(ports)?.items {
                for item in items {
                    guard let item = compose.anchors.resolve(item) else { continue }
                    identity.publishedPorts += publishedPorts(item, anchors: compose.anchors)
                }
            }
            return identity
        }
    }

    /// The host ports of one `ports:` entry: `8092:80`, `127.0.0.1:8092:80/tcp`, `[::1]:8092:80`,
    /// `8000-8002:80-82`, or `{published: 8092, target: 80}`. A container port alone publishes nothing fixed.
    static func publishedPorts(_ item: YAMLNode, anchors: YAMLAnchorIndex) -> [Int] {
        if let text = item.scalarValue {
            var spec = Substring(text)
            if let slash = spec.firstIndex(of: "/") { spec = spec[..<slash] }
            // The host part is what precedes the last ':'; an IPv6 address sits in brackets before it.
            guard let lastColon = spec.lastIndex(of: ":") else { return [] }
            var host = spec[..<lastColon]
            if let bracket = host.lastIndex(of: "]") { host = host[host.index(after: bracket)...] }
            if let colon = host.lastIndex(of: ":") { host = host[host.index(after: colon)...] }
            return ports(host)
        }
        guard item.pairs != nil, let published = anchors.lookup("published", in: item).flatMap({ anchors.resolve($0.pair.value)?.scalarValue })
        else { return [] }
        return ports(Substring(published))
    }

    /// `8092` or `8000-8002`; nothing for a variable or a range over 1,024 ports.
    static func ports(_ text: Substring) -> [Int] {
        let bounds = text.split(separator: "-", maxSplits: 1).map { Int($0) }
        guard let low = bounds.first ?? nil, (1...65535).contains(low) else { return [] }
        guard bounds.count == 2 else { return [low] }
        guard let high = bounds[1], high >= low, high <= 65535, high - low < 1024 else { return [] }
        return Array(low...high)
    }
}
