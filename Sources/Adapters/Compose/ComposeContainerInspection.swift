import Compose
import FoundationEssentials

/// Reads containers through `docker inspect` (both Compose versions label containers the same way).
/// v1 needs the Docker CLI beside it for this; the gateway has it.
struct ComposeContainerInspection {
    let runtime: ComposeRuntime

    private struct Inspected: Decodable {
        struct State: Decodable {
            let Status: String
            let Running: Bool
        }
        struct Config: Decodable {
            let Labels: [String: String]?
        }
        let Id: String
        let Name: String
        let State: State
        let Config: Config
        let NetworkSettings: ContainerNetworks?
    }

    func inspect(_ ids: [String]) throws(ComposeRuntimeError) -> [ComposeContainer] {
        guard !ids.isEmpty else { return [] }
        let docker = try dockerExecutable()
        let command = [docker, "inspect", "--type", "container"] + ids
        let output = try runtime.run(command, purpose: .query, context: "reading the project's containers")
        let decoded: [Inspected]
        do {
            decoded = try JSONDecoder().decode([Inspected].self, from: Data(output.stdout.utf8))
        } catch {
            throw ComposeRuntimeError(kind: .commandFailed, command: command, exitStatus: 0,
                                      stderr: "unexpected output (\(error)): \(output.stdout.prefix(200))")
        }
        return decoded.compactMap { item in
            let labels = item.Config.Labels ?? [:]
            guard let service = labels["com.docker.compose.service"], labels["com.docker.compose.oneoff"] != "True" else { return nil }
            let name = item.Name.hasPrefix("/") ? String(item.Name.dropFirst()) : item.Name
            return ComposeContainer(id: item.Id, name: name, service: service, running: item.State.Running,
                                    status: item.State.Status, configHash: labels["com.docker.compose.config-hash"],
                                    addresses: item.NetworkSettings?.addresses ?? [],
                                    composeVersion: labels["com.docker.compose.version"])
        }
    }

    private func dockerExecutable() throws(ComposeRuntimeError) -> String {
        if runtime.client.kind == .v2 { return runtime.client.executable }
        guard let docker = Subprocess.resolve("docker", environment: runtime.environment) else {
            throw ComposeRuntimeError(kind: .binaryMissing, command: ["docker", "inspect"], exitStatus: nil,
                                      stderr: "docker not found on PATH (\(runtime.environment["PATH"] ?? ""))",
                                      context: "reading container labels, which docker-compose v1 does not print")
        }
        return docker
    }
}

/// `NetworkSettings.Networks` of `docker inspect` and the engine API: each network's address and prefix.
struct ContainerNetworks: Decodable {
    struct Endpoint: Decodable {
        let IPAddress: String?
        let IPPrefixLen: Int?
    }
    let Networks: [String: Endpoint]?

    var addresses: [String] {
        (Networks ?? [:]).keys.sorted().compactMap { name in
            guard let endpoint = Networks?[name], let address = endpoint.IPAddress, !address.isEmpty else { return nil }
            return "\(address)/\(endpoint.IPPrefixLen ?? 32)"
        }
    }
}
