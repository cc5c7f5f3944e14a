import Compose
import HomeAssistant

/// What reconcile added to files it shares with the user, so prune removes exactly that.
/// Kept in the state dir; a lost ledger is safe (nothing of the user's is ever removed, ours stays).
public struct Ledger: Codable, Sendable, Hashable {
    public var homeAssistant: HomeAssistantLedger
    public var compose: ComposeLedger

    public init(homeAssistant: HomeAssistantLedger = .empty, compose: ComposeLedger = .empty) {
        self.homeAssistant = homeAssistant
        self.compose = compose
    }

    public static let empty = Ledger()

    enum CodingKeys: String, CodingKey {
        case homeAssistant = "home_assistant"
        case compose
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        homeAssistant = try container.decodeIfPresent(HomeAssistantLedger.self, forKey: .homeAssistant) ?? .empty
        compose = try container.decodeIfPresent(ComposeLedger.self, forKey: .compose) ?? .empty
    }
}
