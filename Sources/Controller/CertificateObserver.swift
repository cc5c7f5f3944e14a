import Adapters
import Certificates
import Compose
import FoundationEssentials
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
        /// When each host was first seen exposed.
        public var exposedSince: [String: Int64] = [:]

        public init(hosts: [String], dataDirectory: String) {
            self.hosts = hosts
            self.dataDirectory = dataDirectory
        }
    }

    /// `caddyLog`: Caddy's log, asked for only when a host is not plainly valid after the storage and the
    /// probes have spoken (a gateway whose certificates are all valid starts no process for it).
    public static func observe(_ inputs: Inputs, now: Int64, caddyLog: () -> String? = { nil }) -> CertificateReport {
        let (problem, readings) = read(inputs)
        var report = CertificateReport(dataDirectory: inputs.dataDirectory, problem: problem)
        report.hosts = readings.map { assess($0, inputs, failures: [], now: now) }
        if report.hosts.contains(where: { $0.state != .valid }), let log = caddyLog() {
            // One pass over the log for every host.
            let failures = CaddyCertificateLog.failures(in: log, hosts: Set(inputs.hosts.map { $0.lowercased() }))
            report.hosts = readings.map { assess($0, inputs, failures: failures[$0.host.lowercased()] ?? [], now: now) }
        }
        return report
    }

    /// What Caddy's storage holds for one host: the newest certificate covering it, and what could not be read.
    struct Reading {
        var host: String
        var stored: StoredCertificate?
        var problems: [String]
    }

    /// Each host's storage, read once; the problem of the storage as a whole, if any.
    static func read(_ inputs: Inputs) -> (problem: String?, readings: [Reading]) {
        let storage = CaddyCertificateStorage(dataDirectory: inputs.dataDirectory)
        if let problem = storage.problemWithDirectory() {
            // Without the storage only the served certificate and the log can speak.
            return (problem, inputs.hosts.map { Reading(host: $0, stored: nil, problems: [problem]) })
        }
        let (issuers, issuerProblems) = storage.issuers()
        let readings = inputs.hosts.map { host in
            var reading = Reading(host: host, stored: nil, problems: [])
            for stem in CaddyCertificateLayout.stems(for: host) {
                let files = storage.files(stem: stem, issuers: issuers)
                reading.problems += files.problems
                for file in files.found {
                    do throws(CertificateParseError) {
                        let facts = try CertificatePEM.leaf(file.certificate)
                        guard facts.covers(host) else { continue }
                        let candidate = StoredCertificate(issuerFolder: file.issuerFolder, path: file.path, facts: facts,
                                                          suggestedRenewalStart: file.metadata.flatMap(CaddyCertificateLayout.suggestedRenewalStart))
                        // Several CAs may hold one (staging and production, or the local CA): the newest is the one in use.
                        if reading.stored.map({ candidate.facts.notAfter > $0.facts.notAfter }) ?? true { reading.stored = candidate }
                    } catch {
                        reading.problems.append("\(file.path): \(error.description)")
                    }
                }
            }
            return reading
        }
        return (issuerProblems.isEmpty ? nil : issuerProblems.joined(separator: "; "), readings)
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

    static func assess(_ reading: Reading, _ inputs: Inputs, failures: [CaddyLogFailure], now: Int64) -> HostCertificate {
        CertificateAssessment.assess(CertificateAssessment.Inputs(host: reading.host, stored: reading.stored, storageProblems: reading.problems,
                                                                  served: inputs.served[reading.host], exposedSince: inputs.exposedSince[reading.host],
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
