import Adapters
import Compose
import Controller

/// The engine, in memory: every listed service runs from its current definition, and Compose is
/// `compose` (an in-memory double). For the controller's production path without a Docker engine.
public struct EngineObserverDouble: EngineObserving {
    public let compose: InMemoryComposeDouble
    public let services: [String]

    public init(compose: InMemoryComposeDouble, services: [String] = ["caddy", "homeassistant", "zigbee2mqtt", "jellyfin", "nextcloud", "db"]) {
        self.compose = compose
        self.services = services
    }

    public func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation {
        let containers = services.map { ComposeContainer(id: $0, name: $0, service: $0, running: true, status: "running", configHash: "h") }
        return EngineObservation(engine: compose,
                                 state: ComposeRuntimeState(containers: containers, definitionHashes: Dictionary(uniqueKeysWithValues: services.map { ($0, "h") })),
                                 problem: nil)
    }
}
