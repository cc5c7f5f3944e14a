/// A host's certificate state from what could be observed, without a Caddy plugin: its storage, the
/// certificate the probe was served, Caddy's log, and how long ago the host was exposed. Pure.
public enum CertificateAssessment {
    /// How long Caddy gets to obtain a first certificate before its absence counts as failing.
    public static let defaultGraceSeconds: Int64 = 600

    public struct Inputs: Sendable, Hashable {
        public var host: String
        /// The newest certificate covering the host in Caddy's storage.
        public var stored: StoredCertificate?
        /// What Caddy's storage could not give for this host.
        public var storageProblems: [String] = []
        /// The leaf the probe through Caddy was served, if one ran.
        public var served: CertificateFacts?
        /// When the host was first seen exposed (nil: not exposed).
        public var exposedSince: Int64?
        /// Caddy's log lines saying it could not get a certificate for the host.
        public var logFailures: [CaddyLogFailure] = []

        public init(host: String, stored: StoredCertificate? = nil, storageProblems: [String] = [], served: CertificateFacts? = nil,
                    exposedSince: Int64? = nil, logFailures: [CaddyLogFailure] = []) {
            self.host = host
            self.stored = stored
            self.storageProblems = storageProblems
            self.served = served
            self.exposedSince = exposedSince
            self.logFailures = logFailures
        }
    }

    public static func assess(_ inputs: Inputs, now: Int64, graceSeconds: Int64 = defaultGraceSeconds) -> HostCertificate {
        var inputs = inputs
        // A failed attempt before the stored certificate was issued is history (Caddy succeeded since).
        if let issued = inputs.stored?.facts.notBefore {
            inputs.logFailures = inputs.logFailures.filter { ($0.at ?? issued) >= issued }
        }
        var evidence: [CertificateEvidence] = inputs.logFailures.map { .caddyLog($0.message) }
        evidence += inputs.storageProblems.map { .storageProblem($0) }
        if let served = inputs.served {
            evidence.append(.served(coversHost: served.covers(inputs.host), serial: served.serial, notAfter: served.notAfter))
        }
        let servedWrong = inputs.served.map { !$0.covers(inputs.host) || $0.notAfter <= now } ?? false
        guard let stored = inputs.stored else {
            evidence.insert(.noneStored, at: inputs.logFailures.count)
            let age = inputs.exposedSince.map { now - $0 }
            if let since = inputs.exposedSince { evidence.append(.exposedSince(since)) }
            // Absence counts only where the storage could be read; Caddy's own words or a wrong served
            // certificate count either way.
            let failing = !inputs.logFailures.isEmpty || servedWrong || (inputs.storageProblems.isEmpty && (age ?? 0) > graceSeconds)
            let state: HostCertificate.State = failing ? .failing : (inputs.storageProblems.isEmpty ? .notIssued : .unknown)
            return HostCertificate(host: inputs.host, state: state, evidence: evidence)
        }
        evidence.insert(.stored(path: stored.path), at: inputs.logFailures.count)
        let left = stored.facts.notAfter - now
        let days = Int(left >= 0 ? left / 86400 : -((-left + 86399) / 86400))
        let state: HostCertificate.State
        if left <= 0 {
            state = .expired
        } else if !inputs.logFailures.isEmpty || servedWrong {
            state = .failing
        } else if now >= stored.renewalStart {
            state = .renewing
        } else {
            state = .valid
        }
        return HostCertificate(host: inputs.host, state: state, stored: stored, daysLeft: days, evidence: evidence)
    }
}
