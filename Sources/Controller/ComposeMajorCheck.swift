import Compose

/// Never run the other Compose major on a project (issue #24): v1 and v2 hash service definitions differently,
/// so each sees the other's containers as stale, and `up` recreates and renames them (`mapio-caddy-1` becomes
/// `mapio_caddy_1`): every exposed service goes down with Caddy, and the next `docker compose up` recreates them
/// again. An apply refuses before touching anything, unless the user named the client.
enum ComposeMajorCheck {
    /// Why an apply must not go ahead with this state's client, and the way out; nil when it may.
    static func refusal(_ state: ComposeRuntimeState) -> String? {
        guard let client = state.client, !client.chosen, let creator = state.foreignCreator else { return nil }
        let other = creator.major == 1 ? "docker-compose (v1)" : "docker compose (v2)"
        return "the project's containers were created by \(creator.name), and this run would use \(client.name): "
            + "the two majors hash service definitions differently, so \(client.name) would recreate and rename the "
            + "containers it brings up, Caddy among them. Nothing was changed. Install \(other) so that `--compose auto` "
            + "picks it, or name a client explicitly: `--compose v\(creator.major)`, or `--compose v\(client.major)` "
            + "to let it recreate those containers once (the setting `compose:` in the settings file does the same)"
    }
}
