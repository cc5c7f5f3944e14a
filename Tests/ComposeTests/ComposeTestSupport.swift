import Compose
import Diagnostics
import Foundation
import TestSupportCore
import XCTest

/// The gateway's compose file as the issue describes it: a version line, x- extension fields with anchors,
/// `<<: *merge`, comments between list items, a short-form and a long-form depends_on.
let gatewayCompose = """
version: "3.7"

x-logging: &default-logging
  driver: json-file
  options:
    max-size: "10m"

x-restart: &restart
  restart: unless-stopped
  logging: *default-logging

services:
  caddy:
    <<: *restart
    image: 'caddy:2'   # pinned
    ports:
      - "443:443"
    networks:
      - caddy
    extra_hosts:
      - host.docker.internal:host-gateway
    volumes:
      - /usr/local/caddy/Caddyfile:/etc/caddy/Caddyfile

  homeassistant:
    <<: *restart
    image: "ghcr.io/home-assistant/home-assistant:stable"
    network_mode: host
    depends_on:
      # the radio bridge must be up first
      - zigbee2mqtt
      # - mosquitto   (disabled)
    volumes:
      - /usr/local/homeassistant:/config

  zigbee2mqtt:
    image: koenkk/zigbee2mqtt
    network_mode: host

  jellyfin:
    image: jellyfin/jellyfin
    network_mode: host
    # media lives on the USB disk

  nextcloud:
    image: nextcloud
    ports:
      - "8092:80"
    depends_on:
      db:
        condition: service_healthy

  db:
    image: mariadb
    healthcheck:
      test: ["CMD", "true"]

networks:
  caddy:

"""

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
func text(_ bytes: [UInt8]?) -> String { bytes.map { String(decoding: $0, as: UTF8.self) } ?? "<unchanged>" }

/// What a YAML parser should find as one service's depends_on.
enum ExpectedDependsOn: Equatable {
    case none
    case short([String])
    case long([String: String])   // name -> condition
}

/// The acceptance checks for an edited file, by tools other than ours: `docker-compose config -q`
/// accepts it, and PyYAML (which applies merge keys and aliases) finds exactly the expected depends_on.
enum ExternalChecks {
    static func verify(_ bytes: [UInt8], expect: [String: ExpectedDependsOn], file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compose-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("docker-compose.yml").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        // A missing tool throws: the test fails, it does not skip.
        let config = try run(["docker-compose", "-f", path, "config", "-q"])
        XCTAssertEqual(config.status, 0, "docker-compose config -q rejected the edited file: \(config.stderr)\n\(text(bytes))", file: file, line: line)

        let script = """
        import json, sys, yaml
        data = yaml.safe_load(open(sys.argv[1]))
        print(json.dumps({name: (svc or {}).get("depends_on") for name, svc in data["services"].items()}))
        """
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        let parsed = try run([python, "-c", script, path])
        XCTAssertEqual(parsed.status, 0, "PyYAML failed: \(parsed.stderr)", file: file, line: line)
        let object = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as? [String: Any] ?? [:]
        for (service, expected) in expect {
            XCTAssertEqual(normalise(object[service]), expected, "depends_on of \(service) as PyYAML reads it", file: file, line: line)
        }
    }

    private static func normalise(_ value: Any?) -> ExpectedDependsOn {
        if let list = value as? [String] { return .short(list) }
        if let map = value as? [String: Any] {
            return .long(map.mapValues { (($0 as? [String: Any])?["condition"] as? String) ?? "" })
        }
        return .none
    }
}

/// `ComposePlanner.plan` that fails the test with the diagnostics instead of throwing them.
func plan(_ source: String, exposed: [String], proxy: String = "caddy", ledger: ComposeLedger = .empty,
          file: StaticString = #filePath, line: UInt = #line) throws -> ComposeEdit {
    do {
        return try ComposePlanner.plan(bytes(source), file: "docker-compose.yml", exposed: exposed, proxyService: proxy, ledger: ledger)
    } catch {
        XCTFail("unexpected diagnostics: \(error)", file: file, line: line)
        throw error
    }
}

/// The diagnostics `plan` throws (fails the test when it succeeds).
func planErrors(_ source: String, exposed: [String], proxy: String = "caddy", ledger: ComposeLedger = .empty,
                file: StaticString = #filePath, line: UInt = #line) -> [Diagnostic] {
    do {
        let edit = try ComposePlanner.plan(bytes(source), file: "docker-compose.yml", exposed: exposed, proxyService: proxy, ledger: ledger)
        XCTFail("expected an error, got \(text(edit.newBytes))", file: file, line: line)
        return []
    } catch {
        return error.diagnostics
    }
}
