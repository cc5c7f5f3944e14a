/// One container of the compose project, as the engine reports it.
public struct ComposeContainer: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    /// The `com.docker.compose.service` label.
    public var service: String
    public var running: Bool
    /// The engine's word for its state: running, exited, created, restarting, paused, dead.
    public var status: String
    /// The `com.docker.compose.config-hash` label: the hash of the definition it was created from.
    public var configHash: String?
    /// Its addresses on its networks, as `ADDRESS/PREFIX`: where its connections come from.
    public var addresses: [String]
    /// The `com.docker.compose.version` label: the Compose that created it ("1.29.2", "2.40.3").
    public var composeVersion: String?

    public init(id: String, name: String, service: String, running: Bool, status: String, configHash: String?,
                addresses: [String] = [], composeVersion: String? = nil) {
        self.id = id
        self.name = name
        self.service = service
        self.running = running
        self.status = status
        self.configHash = configHash
        self.addresses = addresses
        self.composeVersion = composeVersion
    }
}

/// The Compose client that will run `up`: v1 and v2 hash a service's definition differently.
public struct ComposeClientVersion: Codable, Sendable, Hashable {
    /// 1 (`docker-compose`, Python) or 2 (`docker compose`, Go).
    public var major: Int
    /// What `version --short` printed.
    public var version: String
    /// The user named this client (`--compose v1|v2`, `compose:` in the settings) rather than leaving it to `auto`.
    public var chosen: Bool

    public init(major: Int, version: String, chosen: Bool = false) {
        self.major = major
        self.version = version
        self.chosen = chosen
    }

    /// The client a `com.docker.compose.version` label names; nil when the label is not a version.
    public init?(label: String) {
        guard let major = label.split(separator: ".").first.flatMap({ Int($0) }), major > 0 else { return nil }
        self.init(major: major, version: label)
    }

    /// v1 hashes `depends_on` into a service's config hash, so changing it makes `up` recreate the container;
    /// v2 leaves it out, so the container stays (seen: 1.29.2 and 2.40.3 against the same engine).
    public var hashesDependsOn: Bool { major < 2 }

    public var name: String { "Compose v\(major) (\(version))" }
}

/// The engine's live view of a compose project, and what follows from it. A value: the adapter fills it,
/// the planner reasons about it without running anything.
public struct ComposeRuntimeState: Codable, Sendable, Hashable {
    public var containers: [ComposeContainer]
    /// The config hash Compose computes now for each service of the file on disk.
    public var definitionHashes: [String: String]
    /// The client that read this state and will run `up`; nil when unknown.
    public var client: ComposeClientVersion?

    public init(containers: [ComposeContainer], definitionHashes: [String: String], client: ComposeClientVersion? = nil) {
        self.containers = containers
        self.definitionHashes = definitionHashes
        self.client = client
    }

    /// The Compose that created the project's containers (their `com.docker.compose.version` label), one per
    /// major, most containers first; empty with no container yet.
    public var creators: [ComposeClientVersion] {
        var count: [Int: Int] = [:], first: [Int: ComposeClientVersion] = [:]
        for label in containers.compactMap(\.composeVersion) {
            guard let creator = ComposeClientVersion(label: label) else { continue }
            count[creator.major, default: 0] += 1
            if first[creator.major] == nil { first[creator.major] = creator }
        }
        return first.values.sorted { count[$0.major]! != count[$1.major]! ? count[$0.major]! > count[$1.major]! : $0.major > $1.major }
    }

    /// Containers another Compose major created than the one that would run `up`: that client hashes definitions
    /// differently, so it would see them as stale and recreate (and rename) them. Nil when they agree or either
    /// is unknown. The user's explicit choice of client is reported too; whether to go ahead is the caller's.
    public var foreignCreator: ComposeClientVersion? {
        guard let client else { return nil }
        return creators.first { $0.major != client.major }
    }

    public func containers(of service: String) -> [ComposeContainer] {
        containers.filter { $0.service == service }
    }

    public func isRunning(_ service: String) -> Bool {
        containers(of: service).contains { $0.running }
    }

    /// True when a container of `service` was created from another definition than `hashes` says it has now:
    /// `up -d` would recreate it.
    public func isStale(_ service: String, hashes: [String: String]? = nil) -> Bool {
        guard let wanted = (hashes ?? definitionHashes)[service] else { return false }
        return containers(of: service).contains { $0.configHash != wanted }
    }

    /// Human lines about the proxy and `services` where the engine differs from the file on disk.
    public func drift(for services: [String], proxyService: String = "caddy") -> [String] {
        var lines: [String] = []
        var seen = Set<String>()
        for service in [proxyService] + services where seen.insert(service).inserted {
            let own = containers(of: service)
            let isProxy = service == proxyService
            if own.isEmpty {
                lines.append(isProxy ? "\(service) has no container: it was never brought up"
                                     : "\(service) has no container; reconcile leaves it so (it starts only \(proxyService))")
            } else if !isRunning(service) {
                lines.append(isProxy ? "\(service) is not running (\(own[0].status))"
                                     : "\(service) is not running (\(own[0].status)); reconcile leaves it stopped")
            } else if isStale(service) {
                lines.append("\(service)'s container is older than its definition (config hash \(short(own[0].configHash)), Compose now computes \(short(definitionHashes[service])))")
            }
        }
        return lines
    }

    /// Exactly the services `up -d --no-deps` must be given: the proxy when it is not running or is stale,
    /// then each running service of `services` whose definition changes. A service the user left stopped
    /// stays stopped.
    /// - `services`: the services the apply touches (those whose depends_on changed, and the exposed ones).
    /// - `hashes`: Compose's hashes of the file as it will be (`ComposeRuntime.definitionHashes(fileBytes:)`);
    ///   a running service is then listed only when its container's hash differs. Nil when they are not
    ///   known: every running service of `services` is listed (Compose itself leaves a container whose
    ///   hash did not change alone, so the cost is a no-op), and the proxy is judged by today's hashes.
    public func servicesToBringUp(proxyService: String = "caddy", services: [String], hashes: [String: String]? = nil) -> [String] {
        var result: [String] = []
        if !isRunning(proxyService) || isStale(proxyService, hashes: hashes) { result.append(proxyService) }
        var seen: Set<String> = [proxyService]
        for service in services where seen.insert(service).inserted && isRunning(service) {
            if hashes == nil || isStale(service, hashes: hashes) { result.append(service) }
        }
        return result
    }

    private func short(_ hash: String?) -> String {
        guard let hash else { return "none" }
        return String(hash.prefix(12))
    }
}

extension ComposeRuntimeState {
    /// The one place that decides what `up -d --no-deps` gets for a compose edit; the planner and
    /// `ComposeRuntime.prepare` both ask it.
    /// - `hashesAfter`: Compose's hashes of the edited file, when known. Then every exposed service and every
    ///   service whose definition changed is judged by its hash. Unknown (a plan): the services whose
    ///   `depends_on` changed, running ones only (Compose leaves a container whose hash did not change alone).
    /// Nothing exposed: a stopped proxy has nothing to serve, so it stays as the user left it.
    public func servicesToBringUp(for edit: ComposeEdit, exposed: [String], proxyService: String,
                                  hashesAfter: [String: String]? = nil) -> [String] {
        var candidates = hashesAfter == nil ? [] : exposed
        // Compose v2 leaves depends_on out of its config hash: a depends_on edit recreates nothing there.
        let recreates = client?.hashesDependsOn == false ? [] : edit.recreates
        for service in recreates where !candidates.contains(service) { candidates.append(service) }
        var bringUp = servicesToBringUp(proxyService: proxyService, services: candidates, hashes: hashesAfter)
        if exposed.isEmpty, !isRunning(proxyService) { bringUp.removeAll { $0 == proxyService } }
        return bringUp
    }
}
