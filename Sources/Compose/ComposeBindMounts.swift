import Diagnostics
import YAMLEdit

/// A compose service that sees a host file through a bind mount: the file itself (a single-file mount,
/// as the gateway mounts its Caddyfile) or a folder holding it.
public struct ComposeMountMatch: Sendable, Hashable {
    public var service: String
    /// `container_name:`, when the service sets one (then the container has that name).
    public var containerName: String?
    /// Where the host file is inside the container.
    public var containerPath: String
    /// True when the mount is the file itself: an atomic rename on the host is then not seen inside until
    /// the container is restarted or recreated (the mount holds the old inode).
    public var singleFile: Bool
    /// The line of the volume entry in the compose file.
    public var line: Int
}

/// Reads `volumes:` of every service (short `SRC:DST[:MODE]` and long `{type: bind, source, target}`
/// syntax, merge keys honoured) to find who mounts a host path. Pure: the caller reads the file.
public enum ComposeBindMounts {
    /// The services whose bind mounts show `hostPath` inside their container, in file order.
    /// - `home`: what `~` in a source expands to (Compose uses the user's home); nil leaves `~` sources unmatched.
    public static func services(mounting hostPath: String, composeBytes: [UInt8], composeFile: String,
                                home: String? = nil) throws(Diagnostic) -> [ComposeMountMatch] {
        let compose = try ComposeFile.parse(composeBytes, file: composeFile)
        let wanted = normalize(hostPath, relativeTo: "/")
        let directory = parent(of: normalize(composeFile, relativeTo: "/"))
        var matches: [ComposeMountMatch] = []
        for service in compose.services {
            guard let definition = service.definition else { continue }
            let containerName = compose.anchors.lookup("container_name", in: definition)?.pair.value.scalarValue
            guard let volumes = compose.anchors.lookup("volumes", in: definition)?.pair.value,
                  let items = compose.anchors.resolve(volumes)?.items else { continue }
            for item in items {
                guard let item = compose.anchors.resolve(item), let mount = bind(item, anchors: compose.anchors),
                      let source = expand(mount.source, home: home) else { continue }
                let host = normalize(source, relativeTo: directory)
                let target = normalize(mount.target, relativeTo: "/")
                if host == wanted {
                    matches.append(ComposeMountMatch(service: service.name, containerName: containerName, containerPath: target,
                                                     singleFile: true, line: item.start.line))
                } else if wanted.hasPrefix(host == "/" ? "/" : host + "/") {
                    let rest = wanted.dropFirst(host == "/" ? 1 : host.count + 1)
                    matches.append(ComposeMountMatch(service: service.name, containerName: containerName,
                                                     containerPath: (target == "/" ? "" : target) + "/" + rest,
                                                     singleFile: false, line: item.start.line))
                }
            }
        }
        return matches
    }

    /// The host folder `service` bind-mounts at `target` (Caddy's `/data`), with the line of that volume entry;
    /// nil when it mounts nothing there from the host (a named volume, or no mount at all).
    public static func source(mountedAt target: String, service: String, composeBytes: [UInt8], composeFile: String) -> (path: String, line: Int)? {
        guard let compose = try? ComposeFile.parse(composeBytes, file: composeFile),
              let definition = compose.services.first(where: { $0.name == service })?.definition,
              let volumes = compose.anchors.lookup("volumes", in: definition)?.pair.value,
              let items = compose.anchors.resolve(volumes)?.items else { return nil }
        let directory = parent(of: normalize(composeFile, relativeTo: "/"))
        for item in items {
            guard let item = compose.anchors.resolve(item), let mount = bind(item, anchors: compose.anchors),
                  normalize(mount.target, relativeTo: "/") == normalize(target, relativeTo: "/"),
                  let source = expand(mount.source, home: nil) else { continue }
            return (normalize(source, relativeTo: directory), item.start.line)
        }
        return nil
    }

    /// Our own bounded parser's verdict on a compose file, before any Compose client is given it: a file it
    /// refuses (too deep, alias floods, not a compose file) is never handed to Compose, which may take
    /// minutes over such input (Compose v2.40.3 spins on 10,000 nested brackets).
    public static func check(composeBytes: [UInt8], composeFile: String) throws(Diagnostic) {
        let compose = try ComposeFile.parse(composeBytes, file: composeFile)
        // We never expand aliases; Compose does, all of them (a billion laughs would take it minutes).
        var budget = maxExpandedNodes
        guard let root = compose.document.root, !fits(root, anchors: compose.anchors, budget: &budget) else { return }
        throw Diagnostic(file: composeFile, position: compose.document.root?.start.position,
                         message: "its aliases expand to more than \(maxExpandedNodes) nodes, which Compose would build in memory",
                         hint: "a compose file never needs this many: remove the nested aliases")
    }

    /// What a compose file may expand to, aliases included, before Compose is given it.
    public static let maxExpandedNodes = 200_000

    /// False once `budget` nodes have been counted, aliases followed (an alias only names an earlier node, so
    /// this ends; the budget keeps it short).
    private static func fits(_ node: YAMLNode, anchors: YAMLAnchorIndex, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node.kind {
        case .scalar: return true
        case .alias: return anchors.resolve(node).map { fits($0, anchors: anchors, budget: &budget) } ?? true
        case .sequence(let items, _): return items.allSatisfy { fits($0, anchors: anchors, budget: &budget) }
        case .mapping(let pairs, _):
            return pairs.allSatisfy { fits($0.key, anchors: anchors, budget: &budget) && fits($0.value, anchors: anchors, budget: &budget) }
        }
    }

    /// The top-level `name:` (the project name Compose v2 and v1.28+ use instead of the folder's), if any.
    public static func projectName(composeBytes: [UInt8], composeFile: String) -> String? {
        guard let document = try? YAMLDocument.parse(composeBytes, file: composeFile),
              let name = document.root?["name"]?.scalarValue, !name.isEmpty, !name.contains("$") else { return nil }
        return name
    }

    /// `SRC:DST[:MODE]` with a path source, or a long-syntax `type: bind`. Named volumes and
    /// `${VAR}` sources (interpolated by Compose from an environment we do not see) are left out.
    static func bind(_ item: YAMLNode, anchors: YAMLAnchorIndex) -> (source: String, target: String)? {
        if let text = item.scalarValue {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, let first = parts.first, isPath(first), !parts[1].isEmpty else { return nil }
            return (first, parts[1])
        }
        guard item.pairs != nil else { return nil }
        func value(_ key: String) -> String? { anchors.lookup(key, in: item).flatMap { anchors.resolve($0.pair.value)?.scalarValue } }
        guard value("type") == "bind", let source = value("source"), let target = value("target"), isPath(source) else { return nil }
        return (source, target)
    }

    static func isPath(_ text: String) -> Bool {
        !text.contains("$") && (text.hasPrefix("/") || text.hasPrefix(".") || text.hasPrefix("~"))
    }

    static func expand(_ source: String, home: String?) -> String? {
        guard source == "~" || source.hasPrefix("~/") else { return source }
        guard let home else { return nil }
        return home + source.dropFirst()
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved (no symbolic links: the files are not read).
    static func normalize(_ path: String, relativeTo directory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
