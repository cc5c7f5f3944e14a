import Adapters
import Certificates
import Compose
import Foundation
import Planner

/// Each exposed host's certificate: what Caddy keeps in its data directory, what the probe through Caddy
/// was served, Caddy's own log since the host was exposed, and how long ago that was. Read after an apply
/// (for the report, the page and the metrics) and for a plan's hosts that are already live.
public enum CertificateObserver {
    public struct Inputs: Sendable {
        /// The hosts exposed now, in the desired state's order.
        public var hosts: [String]
        public var dataDirectory: String
        /// What each host's probe was served, when a probe ran.
        public var served: [String: CertificateFacts] = [:]
        /// Caddy's log since its last load, when it could be read (the container way).
        public var caddyLog: String?
        /// When each host was first seen exposed.
        public var exposedSince: [String: Int64] = [:]

        public init(hosts: [String], dataDirectory: String) {
            self.hosts = hosts
            self.dataDirectory = dataDirectory
        }
    }

    public static func observe(_ inputs: Inputs, now: Int64) -> CertificateReport {
        let storage = CaddyCertificateStorage(dataDirectory: inputs.dataDirectory)
        if let problem = storage.problemWithDirectory() {
            // Without the storage only the served certificate and the log can speak.
            return CertificateReport(dataDirectory: inputs.dataDirectory, problem: problem,
                                     hosts: inputs.hosts.map { assess($0, stored: nil, problems: [problem], inputs, now: now) })
        }
        let (issuers, issuerProblems) = storage.issuers()
        var report = CertificateReport(dataDirectory: inputs.dataDirectory, problem: issuerProblems.isEmpty ? nil : issuerProblems.joined(separator: "; "))
        for host in inputs.hosts {
            var stored: StoredCertificate?
            var problems: [String] = []
            for stem in CaddyCertificateLayout.stems(for: host) {
                let files = storage.files(stem: stem, issuers: issuers)
                problems += files.problems
                for file in files.found {
                    do {
                        let facts = try CertificatePEM.leaf(file.certificate)
                        guard facts.covers(host) else { continue }
                        let candidate = StoredCertificate(issuerFolder: file.issuerFolder, path: file.path, facts: facts,
                                                          suggestedRenewalStart: file.metadata.flatMap(CaddyCertificateLayout.suggestedRenewalStart))
                        // Several CAs may hold one (staging and production, or the local CA): the newest is the one in use.
                        if stored.map({ candidate.facts.notAfter > $0.facts.notAfter }) ?? true { stored = candidate }
                    } catch {
                        problems.append("\(file.path): \(error.description)")
                    }
                }
            }
            report.hosts.append(assess(host, stored: stored, problems: problems, inputs, now: now))
        }
        return report
    }

    /// Caddy's `/data` as its compose service mounts it, when that is not the folder reconcile reads
    /// (under `--root`, a mount of `/usr/local/caddy/caddy_data` is `ROOT/usr/local/caddy/caddy_data`).
    public static func dataMountElsewhere(_ compose: LiveFile, service: String, paths: GatewayPaths) -> DataMount? {
        guard let bytes = compose.bytes,
              let mount = ComposeBindMounts.source(mountedAt: "/data", service: service, composeBytes: bytes, composeFile: compose.path) else { return nil }
        let reading = paths.caddyDataDir.hasSuffix("/") ? String(paths.caddyDataDir.dropLast()) : paths.caddyDataDir
        let root = paths.root.map { $0 == "/" ? "" : $0 } ?? ""
        guard mount.path != reading, root + mount.path != reading else { return nil }
        return DataMount(service: service, source: mount.path, composeFile: compose.path, line: mount.line)
    }

    static func assess(_ host: String, stored: StoredCertificate?, problems: [String], _ inputs: Inputs, now: Int64) -> HostCertificate {
        let failures = inputs.caddyLog.map { CaddyCertificateLog.failures(in: $0, hosts: [host.lowercased()])[host.lowercased()] ?? [] } ?? []
        return CertificateAssessment.assess(CertificateAssessment.Inputs(host: host, stored: stored, storageProblems: problems,
                                                                         served: inputs.served[host], exposedSince: inputs.exposedSince[host],
                                                                         logFailures: failures), now: now)
    }
}

/// When each host was first seen exposed, kept in the state dir: a host with no certificate long after
/// that is failing, one exposed a minute ago is not issued yet.
public enum ExposureTimesStore {
    static func path(_ stateDir: String) -> String { stateDir + "/exposed-since.json" }

    public static func load(stateDir: String) -> [String: Int64] {
        guard let bytes = LiveFileReader.readStateFile(path(stateDir)) else { return [:] }
        return (try? JSONDecoder().decode([String: Int64].self, from: Data(bytes))) ?? [:]
    }

    /// Keeps the times of hosts still exposed, adds `now` for new ones; written only when that changes.
    public static func update(exposed hosts: [String], now: Int64, stateDir: String) -> [String: Int64] {
        let old = load(stateDir: stateDir)
        var new: [String: Int64] = [:]
        for host in hosts { new[host] = old[host] ?? now }
        if new != old {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(new) {
                try? Directories.create(stateDir)
                try? AtomicFileWriter.write(Array(data) + [UInt8(ascii: "\n")], to: path(stateDir), newFileMode: 0o600)
            }
        }
        return new
    }
}
