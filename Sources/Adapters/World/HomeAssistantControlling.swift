/// Stopping, starting and restarting Home Assistant, each returning once it answers again (or is gone).
/// Implementations: `HomeAssistantControl` (compose service or argv commands, readiness by HTTP); a
/// WebSocket trial for storage mode plugs in here too. Tests use `InMemoryHomeAssistantDouble`.
public protocol HomeAssistantControlling: Sendable {
    func stopHomeAssistant() throws(HomeAssistantControlError)
    /// Starts it and waits until it answers.
    func startHomeAssistant() throws(HomeAssistantControlError)
    /// Restarts it and waits until it answers.
    func restartHomeAssistant() throws(HomeAssistantControlError)
}

extension HomeAssistantControl: HomeAssistantControlling {
    public func stopHomeAssistant() throws(HomeAssistantControlError) { try stop() }
    public func startHomeAssistant() throws(HomeAssistantControlError) { try start() }
    public func restartHomeAssistant() throws(HomeAssistantControlError) { try restart() }
}
