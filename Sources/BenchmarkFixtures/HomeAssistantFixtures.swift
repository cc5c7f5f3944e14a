/// Realistic configuration.yaml text of any size, for benchmarks and scale tests: Home Assistant's tags
/// (`!secret`, `!include*`, `!env_var`), an anchor and alias, non-ASCII text (em dashes, accents) before
/// an `http:` block that needs work (flag off, one hand-written proxy, comments inside), then MQTT sensors
/// until the requested size. Deterministic: the same `lines` gives the same text.
public enum HomeAssistantFixtures {
    /// Exactly `lines` lines (LF-terminated), or the fixed head and tail (about 60 lines) if `lines` is smaller.
    public static func largeConfiguration(lines: Int) -> String {
        var out: [String] = head
        let tail = [
            "",
            "automation: !include automations.yaml",
            "script: !include scripts.yaml",
            "scene: !include scenes.yaml",
            "# Fin — généré pour les mesures.",
        ]
        let rooms = ["salon", "cuisine", "chambre", "bureau", "garage", "grenier", "cave", "véranda", "entrée", "buanderie"]
        out.append("mqtt:")
        out.append("  sensor:")
        var index = 0
        while out.count + 6 + tail.count <= lines {
            let room = rooms[index % rooms.count]
            index += 1
            out += [
                "    - name: \"Température \(room) \(index)\"",
                "      unique_id: temperature_\(index)",
                "      state_topic: \"zigbee2mqtt/capteur_\(index)\"",
                "      unit_of_measurement: \"°C\"",
                "      device_class: temperature",
                "      value_template: \"{{ value_json.temperature }}\"",
            ]
        }
        while out.count + tail.count < lines { out.append("# —") }
        out += tail
        return out.joined(separator: "\n") + "\n"
    }

    private static let head = [
        "# Home Assistant — configuration générée (benchmark)",
        "# Ümlauts, accents, « guillemets » et emoji ☀️ avant le bloc http.",
        "homeassistant:",
        "  name: \"Maison — Test\"",
        "  latitude: !secret home_latitude",
        "  longitude: !secret home_longitude",
        "  unit_system: metric",
        "  time_zone: \"Europe/Paris\"",
        "  customize: !include customize.yaml",
        "  packages: !include_dir_named packages",
        "",
        "default_config:",
        "",
        "frontend:",
        "  themes: !include_dir_merge_named themes",
        "",
        "recorder:",
        "  db_url: !secret recorder_db_url",
        "  purge_keep_days: 14",
        "",
        "logger:",
        "  default: &niveau warning",
        "  logs:",
        "    homeassistant.components.zha: *niveau",
        "",
        "influxdb:",
        "  host: !env_var INFLUX_HOST",
        "  token: !secret influx_token",
        "",
        "# Accès distant — Caddy devant Home Assistant",
        "http:",
        "  # port par défaut",
        "  server_port: 8123",
        "  use_x_forwarded_for: false  # à activer",
        "  trusted_proxies:",
        "    - 192.168.1.0/24  # le réseau local",
        "  ip_ban_enabled: true",
        "  login_attempts_threshold: 5",
        "# fin accès distant",
        "",
    ]
}
