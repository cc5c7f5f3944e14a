import Certificates
import EssentialsExtras
import FoundationEssentials
import Glibc

/// Requests each exposed host through Caddy, the way a browser on the internet would reach it.
/// A gateway error (502/503/504) or no answer means the route is broken; 400 from Home Assistant means
/// it does not trust the proxy. HTTPS goes through `curl --resolve`, so SNI carries the site's name.
public struct Prober: Sendable {
    public var settings: ProbeSettings

    public init(settings: ProbeSettings) { self.settings = settings }

    /// `maintenance`: the site is meant to answer 503 (its maintenance page), and only that passes.
    public func probe(host: String, isHomeAssistant: Bool, maintenance: Bool = false) -> ProbeResult {
        var last = ProbeResult(host: host, status: nil, passed: false, detail: "not probed", attempts: 0)
        for attempt in 1...max(1, settings.attempts) {
            last = once(host: host, isHomeAssistant: isHomeAssistant)
            if maintenance { last = Prober.judgeMaintenance(last) }
            last.attempts = attempt
            if last.passed { return last }
            if attempt < settings.attempts { usleep(useconds_t(settings.interval * 1_000_000)) }
        }
        // Still no certificate after every attempt: the host waits for it, which is not a broken route.
        if last.certificatePending { last.passed = true }
        return last
    }

    func once(host: String, isHomeAssistant: Bool) -> ProbeResult {
        let status: Int?
        let failure: String?
        switch settings.scheme {
        case .http:
            do {
                let response = try HTTPClient.send(HTTPRequest(address: settings.address, port: settings.port,
                                                               headers: [("Host", host)], timeout: settings.timeout))
                status = response.status
                failure = nil
            } catch {
                status = nil
                failure = error.reason
            }
        case .https:
            let answer = curl(host: host)
            (status, failure) = (answer.status, answer.failure)
            var result = Prober.judge(host: host, status: status, failure: failure, isHomeAssistant: isHomeAssistant)
            result.served = answer.served
            if answer.refusedByServerAlert, let storage = settings.certificateStorage.map(CaddyCertificateStorage.init),
               storage.problemWithDirectory() == nil, !storage.hasCertificate(for: host) {
                // A TLS server (not a plain-HTTP port, not nothing) refused the handshake, and Caddy, whose storage
                // is readable, has no certificate for the host: it is obtaining one. Rolling back would make it
                // stop trying; the certificate's state says how that goes. (Set only when reconcile loads Caddy.)
                result = ProbeResult(host: host, status: nil, passed: false,
                                     detail: "no TLS handshake yet: Caddy has no certificate for it so far (ACME is issuing it); the route is checked once it has one",
                                     attempts: 0)
                result.certificatePending = true
            }
            return result
        }
        return Prober.judge(host: host, status: status, failure: failure, isHomeAssistant: isHomeAssistant)
    }

    static func judge(host: String, status: Int?, failure: String?, isHomeAssistant: Bool) -> ProbeResult {
        guard let status else {
            return ProbeResult(host: host, status: nil, passed: false, detail: "no answer: \(failure ?? "unknown")", attempts: 0)
        }
        if [502, 503, 504].contains(status) {
            return ProbeResult(host: host, status: status, passed: false, detail: "Caddy answered \(status): the upstream is not reachable", attempts: 0)
        }
        if isHomeAssistant && status == 400 {
            return ProbeResult(host: host, status: status, passed: false,
                               detail: "Home Assistant answered 400: it does not trust the proxy (use_x_forwarded_for / trusted_proxies)", attempts: 0)
        }
        return ProbeResult(host: host, status: status, passed: true, detail: "answered \(status)", attempts: 0)
    }

    static func judgeMaintenance(_ result: ProbeResult) -> ProbeResult {
        var judged = result
        judged.passed = result.status == 503
        judged.detail = result.status == 503 ? "answered 503: in maintenance, as declared"
            : "in maintenance, but \(result.status.map { "answered \($0)" } ?? result.detail) instead of 503"
        return judged
    }

    /// `curl -k`: a probe checks the route, not the certificate (which ACME may still be issuing); what Caddy
    /// served is kept (`%{certs}`, curl 7.88+) so the certificate's state can be cross-checked.
    /// Through the shared runner, so a curl that hangs past its own `--max-time` is killed too.
    private func curl(host: String) -> (status: Int?, failure: String?, served: CertificateFacts?, refusedByServerAlert: Bool) {
        let command = ["curl", "-sSk", "-o", "/dev/null", "-w", "%{http_code}\\n%{certs}", "--max-time", String(settings.timeout),
                       "--resolve", "\(host):\(settings.port):\(settings.address)", "https://\(host):\(settings.port)/"]
        let output: SubprocessOutput
        do {
            output = try Subprocess.run(command, environment: ProcessInfo.processInfo.environment,
                                        timeout: .milliseconds(Int(settings.timeout * 1000) + 5_000))
        } catch {
            return (nil, "cannot run curl: \(error)", nil, false)
        }
        let firstLine = output.stdout.prefix { $0 != "\n" }
        let code = Int(firstLine.trimmingWhitespaceAndNewlines()) ?? 0
        let served = try? CertificatePEM.leaf(Array(output.stdout.utf8))
        // curl's 35 with a TLS alert from the peer: a TLS server that has no certificate to offer for the name
        // (Caddy answers `internal error`); a plain-HTTP port gives `wrong version number` instead.
        let alerted = output.status == 35 && output.stderr.contains("alert")
        return code == 0 ? (nil, "curl exit \(output.status)", served, alerted) : (code, nil, served, false)
    }
}
