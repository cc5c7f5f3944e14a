import HomeAssistant
import Planner

/// Makes the plan again from the same observation with Home Assistant's `.storage/http` as it is now:
/// the apply's answer to a file Home Assistant saved between the plan and its stop.
public protocol PlanningAgain: Sendable {
    func plan(storageHTTP: [UInt8]?) throws(ReconcileError) -> Plan
}

/// The observation the plan was made from (`Observer.observe`), planned again by `Observer.plan`.
public struct PlanningAgainFromObservation: PlanningAgain {
    public let inputs: PlanInputs

    public init(inputs: PlanInputs) { self.inputs = inputs }

    public func plan(storageHTTP: [UInt8]?) throws(ReconcileError) -> Plan {
        var again = inputs
        again.homeAssistant.storageHTTP = storageHTTP
        return try Observer.plan(again)
    }
}
