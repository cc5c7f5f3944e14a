import Foundation

/// One HTTP answer: status (nil when nothing answered: no route, TLS refused, connection refused) and body.
public struct Answer: CustomStringConvertible {
    public var status: Int?
    public var body: String
    public var description: String { "\(status.map(String.init) ?? "no answer") \(body.debugDescription)" }
}

/// `curl` a URL once; `resolve` pins the host name to an address (SNI carries the site's name).
public func curl(_ url: String, resolve: String? = nil, headers: [String] = [], timeout: Int = 10) -> Answer {
    var argv = ["curl", "-sk", "--max-time", String(timeout), "-w", "\n%{http_code}"]
    if let resolve { argv += ["--resolve", resolve] }
    for header in headers { argv += ["-H", header] }
    argv.append(url)
    guard let result = try? run(argv, timeout: .seconds(timeout + 5)) else { return Answer(status: nil, body: "") }
    var lines = result.stdout.components(separatedBy: "\n")
    let code = Int(lines.popLast() ?? "") ?? 0
    return Answer(status: code == 0 ? nil : code, body: lines.joined(separator: "\n"))
}

/// Polls `check` until it returns true or `within` passes.
public func eventually(within: Duration = .seconds(30), interval: Duration = .milliseconds(250), _ check: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if check() { return true }
        Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
    }
    return check()
}
