import Adapters
import Compose
import Controller
import Foundation
import Planner

// Doubles of the controller's own seams (how it observes the engine, how it plans again).

/// The engine, in memory: every service of the example gateway runs from its current definition.
public struct EngineObserverDouble: EngineObserving {
    public let compose: InMemoryComposeDouble

    public init(compose: InMemoryComposeDouble) { self.compose = compose }

    public func observe(_ settings: ComposeSettings, composeFile: String) -> EngineObservation {
        let services = ["caddy", "homeassistant", "zigbee2mqtt", "jellyfin", "nextcloud", "db"]
        let containers = services.map { ComposeContainer(id: $0, name: $0, service: $0, running: true, status: "running", configHash: "h") }
        return EngineObservation(engine: compose,
                                 state: ComposeRuntimeState(containers: containers, definitionHashes: Dictionary(uniqueKeysWithValues: services.map { ($0, "h") })),
                                 problem: nil)
    }
}

/// Plans again by a rule of the test's; counts its calls.
public final class PlanningAgainDouble: PlanningAgain, @unchecked Sendable {
    public let make: ([UInt8]?) -> Result<Plan, ReconcileError>
    public let lock = NSLock()
    public var reads: [[UInt8]?] = []

    public init(_ make: @escaping ([UInt8]?) -> Result<Plan, ReconcileError>) { self.make = make }

    public func plan(storageHTTP: [UInt8]?) throws(ReconcileError) -> Plan {
        lock.withLock { reads.append(storageHTTP) }
        switch make(storageHTTP) {
        case .success(let plan): return plan
        case .failure(let error): throw error
        }
    }
}
