import Compose
import FoundationEssentials

/// The Docker engine's own API over its Unix socket: one request lists a compose project's containers,
/// with no process spawned. Used where speed matters (a no-op apply); Compose's CLI does the rest.
public struct DockerEngine: Sendable {
    public var socketPath: String
    public var timeout: Double

    public init(socketPath: String = "/var/run/docker.sock", timeout: Double = 5) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// The engine `DOCKER_HOST` names, when it is a Unix socket (or unset: the default socket).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DockerEngine? {
        guard let host = environment["DOCKER_HOST"], !host.isEmpty else { return DockerEngine() }
        guard host.hasPrefix("unix://") else { return nil }
        return DockerEngine(socketPath: String(host.dropFirst("unix://".count)))
    }

    /// Every container (running or not) labelled as part of compose project `project`; one-off `run`
    /// containers left out, as `compose ps` does.
    public func containers(project: String) throws(DockerEngineError) -> [ComposeContainer] {
        try containers(filters: ["label": ["com.docker.compose.project=\(project)"]])
    }

    /// The compose containers the engine's filters select (`label`, `name`, `status`, as `docker ps --filter`).
    public func containers(filters: [String: [String]]) throws(DockerEngineError) -> [ComposeContainer] {
        let list = try get("/containers/json?all=1&filters=" + Self.query(filters), as: [Listed].self)
        return list.compactMap { item in
            guard let service = item.Labels["com.docker.compose.service"], item.Labels["com.docker.compose.oneoff"] != "True" else { return nil }
            return ComposeContainer(id: item.Id, name: item.Names.first.map { String($0.drop { $0 == "/" }) } ?? item.Id,
                                    service: service, running: item.State == "running", status: item.State,
                                    configHash: item.Labels["com.docker.compose.config-hash"],
                                    addresses: item.NetworkSettings?.addresses ?? [],
                                    composeVersion: item.Labels["com.docker.compose.version"])
        }
    }

    /// Every image's id and tags, one line each, sorted: what Compose v1 hashes into a service's config
    /// (the image's id) changes this list.
    public func imageIdentities() throws(DockerEngineError) -> [String] {
        try get("/images/json", as: [Image].self).map { "\($0.Id) \(($0.RepoTags ?? []).sorted().joined(separator: ","))" }.sorted()
    }

    private func get<T: Decodable>(_ path: String, as type: T.Type) throws(DockerEngineError) -> T {
        let response: HTTPResponse
        do {
            response = try HTTPClient.send(HTTPRequest(address: "localhost", port: 80, path: path, headers: [("Host", "docker")],
                                                       unixSocket: socketPath, timeout: timeout))
        } catch {
            throw DockerEngineError(message: "the Docker engine at \(socketPath) did not answer: \(error.reason)")
        }
        guard response.status == 200, let decoded = try? JSONDecoder().decode(T.self, from: Data(response.body)) else {
            throw DockerEngineError(message: "the Docker engine answered \(response.status) to \(path)")
        }
        return decoded
    }

    private static func query(_ filters: [String: [String]]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(filters)) ?? Data("{}".utf8)
        return percentEncoded(String(decoding: data, as: UTF8.self))
    }

    /// The project name Compose uses for `composeFile`: `-p NAME`, else `COMPOSE_PROJECT_NAME`, else the file's
    /// top-level `name:`, else its folder's name.
    public static func projectName(given: String?, environment: [String: String], composeBytes: [UInt8]?, composeFile: String) -> String {
        given ?? environment["COMPOSE_PROJECT_NAME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? composeBytes.flatMap { ComposeBindMounts.projectName(composeBytes: $0, composeFile: composeFile) }
            ?? projectName(forComposeFile: composeFile)
    }

    /// Every UTF-8 byte but ASCII letters and digits as `%XX` (what `addingPercentEncoding(withAllowedCharacters:
    /// .alphanumerics)` did for the ASCII text given here).
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { bytes.append(byte) }
            else { bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The project name Compose derives from the compose file's folder (v1 and v2 agree on these characters).
    public static func projectName(forComposeFile file: String) -> String {
        let folder = URL(fileURLWithPath: file).standardizedFileURL.deletingLastPathComponent().lastPathComponent
        return String(folder.lowercased().unicodeScalars.filter {
            ("a"..."z").contains($0) || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_"
        })
    }

    private struct Listed: Decodable {
        var Id: String
        var Names: [String]
        var State: String
        var Labels: [String: String]
        var NetworkSettings: ContainerNetworks?
    }

    private struct Image: Decodable {
        var Id: String
        var RepoTags: [String]?
    }
}

public struct DockerEngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
