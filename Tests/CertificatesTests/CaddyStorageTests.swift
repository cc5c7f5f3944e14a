import Adapters
import Certificates
import Controller
@testable import Planner
import Foundation
import TestSupport
import XCTest

/// Caddy's certificate storage as the gateway has it (`caddy/certificates/<issuer>/<host>/…`), read for
/// real from a folder: the newest certificate wins, hostile entries are reported and never followed, and
/// no `.key` file is ever opened (checked with the kernel's inotify, which sees every open).
final class CaddyStorageTests: XCTestCase {
    func store(_ data: TemporaryDirectory, issuer: String, stem: String, _ pem: [UInt8]) throws {
        let folder = data.sub("caddy/certificates/\(issuer)/\(stem)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(pem).write(to: URL(fileURLWithPath: folder + "/\(stem).crt"))
        data.file("caddy/certificates/\(issuer)/\(stem)/\(stem).key", "-----BEGIN EC PRIVATE KEY-----\nsecret\n-----END EC PRIVATE KEY-----\n", mode: 0o600)
        data.file("caddy/certificates/\(issuer)/\(stem)/\(stem).json", #"{"sans":["\#(stem)"]}"#)
    }

    func observe(_ data: TemporaryDirectory, _ hosts: [String], now: Int64 = Int64(Date().timeIntervalSince1970)) -> CertificateReport {
        CertificateObserver.observe(CertificateObserver.Inputs(hosts: hosts, dataDirectory: data.path), now: now)
    }

    func testTheNewestCertificateOfAnyIssuerIsTheHostsAndAWildcardCounts() throws {
        let data = TemporaryDirectory(prefix: "reconcile-caddy-data")
        try store(data, issuer: "acme-staging-v02.api.letsencrypt.org-directory", stem: "app.example.com",
                  try CertificateAssessmentTests.certificate(["app.example.com"], days: 10))
        try store(data, issuer: "acme-v02.api.letsencrypt.org-directory", stem: "app.example.com",
                  try CertificateAssessmentTests.certificate(["app.example.com"], days: 90, issuer: "R11"))
        try store(data, issuer: "local", stem: "wildcard_.media.example.com",
                  try CertificateAssessmentTests.certificate(["*.media.example.com"], days: 7, issuer: "Caddy Local Authority"))
        let report = observe(data, ["app.example.com", "jellyfin.media.example.com", "new.example.com"])
        XCTAssertNil(report.problem)
        XCTAssertEqual(report.hosts.map(\.state), [.valid, .valid, .notIssued])
        XCTAssertEqual(report.hosts[0].stored?.facts.issuer, "R11")
        XCTAssertEqual(report.hosts[0].stored?.path, "caddy/certificates/acme-v02.api.letsencrypt.org-directory/app.example.com/app.example.com.crt")
        XCTAssertEqual(report.hosts[1].stored?.issuerFolder, "local")
        XCTAssertEqual(report.hosts[2].evidence, [.noneStored])
        XCTAssertEqual(observe(TemporaryDirectory(prefix: "x"), ["a.example.com"]).hosts.first?.state, .notIssued)
        // A missing data directory (a wrong --caddy-data) is no reason to call every host failing.
        var missing = CertificateObserver.Inputs(hosts: ["a.example.com"], dataDirectory: "/nonexistent/caddy_data")
        missing.exposedSince = ["a.example.com": 0]
        let unread = CertificateObserver.observe(missing, now: 1_000_000)
        XCTAssertEqual(unread.problem, "/nonexistent/caddy_data does not exist")
        XCTAssertEqual(unread.hosts.map(\.state), [.unknown])
    }

    /// Links, a folder where the certificate should be, a huge file, a FIFO, garbage: each is named, none
    /// is followed or read whole, and the other hosts are still read.
    func testAHostileStorageTreeIsReportedAndLosesNothing() throws {
        let data = TemporaryDirectory(prefix: "reconcile-caddy-data")
        let outside = TemporaryDirectory(prefix: "reconcile-outside")
        try store(outside, issuer: "x", stem: "linked.example.com", try CertificateAssessmentTests.certificate(["linked.example.com"]))
        try store(data, issuer: "acme", stem: "good.example.com", try CertificateAssessmentTests.certificate(["good.example.com"]))
        let acme = data.sub("caddy/certificates/acme")
        try FileManager.default.createSymbolicLink(atPath: acme + "/linked.example.com", withDestinationPath: outside.sub("caddy/certificates/x/linked.example.com"))
        try FileManager.default.createSymbolicLink(atPath: data.sub("caddy/certificates/evil"), withDestinationPath: outside.sub("caddy/certificates/x"))
        try FileManager.default.createDirectory(atPath: acme + "/folder.example.com/folder.example.com.crt", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: acme + "/huge.example.com", withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: acme + "/huge.example.com/huge.example.com.crt", contents: nil))
        let huge = try FileHandle(forWritingTo: URL(fileURLWithPath: acme + "/huge.example.com/huge.example.com.crt"))
        try huge.truncate(atOffset: 64 << 20)
        try huge.close()
        try FileManager.default.createDirectory(atPath: acme + "/fifo.example.com", withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(acme + "/fifo.example.com/fifo.example.com.crt", 0o600), 0)
        data.file("caddy/certificates/acme/garbage.example.com/garbage.example.com.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        let before = try tree(data.path)

        let started = Date()
        let report = observe(data, ["good.example.com", "linked.example.com", "folder.example.com", "huge.example.com",
                                    "fifo.example.com", "garbage.example.com"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "nothing hangs or reads 64 MB")
        XCTAssertEqual(report.problem, "caddy/certificates/evil is a symbolic link (not followed)")
        XCTAssertEqual(report.hosts.map(\.state), [.valid, .unknown, .unknown, .unknown, .unknown, .unknown],
                       "what could not be read says nothing of the certificate, and alerts nothing")
        func problem(_ index: Int) -> String? {
            report.hosts[index].evidence.compactMap { if case .storageProblem(let text) = $0 { return text } else { return nil } }.first
        }
        XCTAssertEqual(problem(1), "caddy/certificates/acme/linked.example.com is a symbolic link (not followed)")
        XCTAssertEqual(problem(2), "caddy/certificates/acme/folder.example.com/folder.example.com.crt is not a regular file")
        XCTAssertTrue(problem(3)?.contains("over the limit of 262144") ?? false, "\(String(describing: problem(3)))")
        XCTAssertEqual(problem(4), "caddy/certificates/acme/fifo.example.com/fifo.example.com.crt is not a regular file")
        XCTAssertTrue(problem(5)?.hasPrefix("caddy/certificates/acme/garbage.example.com/garbage.example.com.crt: not a readable X.509 certificate") ?? false,
                      "\(String(describing: problem(5)))")
        XCTAssertEqual(try tree(data.path), before, "the storage is read, never changed")
    }

    func testNoKeyFileIsEverOpened() throws {
        let data = TemporaryDirectory(prefix: "reconcile-caddy-data")
        try store(data, issuer: "acme", stem: "app.example.com", try CertificateAssessmentTests.certificate(["app.example.com"]))
        let folder = data.sub("caddy/certificates/acme/app.example.com")
        let watcher = try InotifyWatcher(folder)
        XCTAssertEqual(observe(data, ["app.example.com"]).hosts.first?.state, .valid)
        let opened = try watcher.stop()
        XCTAssertTrue(opened.contains("app.example.com.crt"), "the watcher sees opens: \(opened)")
        XCTAssertFalse(opened.contains { $0.hasSuffix(".key") }, "a key was opened: \(opened)")
    }

    /// The plan says when Caddy's compose service keeps /data elsewhere than where certificates are read.
    func testAComposeServiceMountingItsDataElsewhereIsNamed() throws {
        func compose(_ volume: String) -> LiveFile {
            LiveFile(path: "/gw/home/root/mapio/docker-compose.yml",
                     bytes: Array("services:\n  caddy:\n    image: caddy:latest\n    volumes:\n      - /usr/local/caddy/Caddyfile:/etc/caddy/Caddyfile\n      - \(volume)\n".utf8))
        }
        let paths = GatewayPaths.defaults(root: "/gw")
        XCTAssertNil(CertificateObserver.dataMountElsewhere(compose("/usr/local/caddy/caddy_data:/data"), service: "caddy", paths: paths),
                     "the stock mount, read under --root")
        XCTAssertNil(CertificateObserver.dataMountElsewhere(compose("/usr/local/caddy/caddy_data:/data"), service: "caddy",
                                                            paths: GatewayPaths.defaults(root: nil)))
        XCTAssertNil(CertificateObserver.dataMountElsewhere(compose("caddy_data:/data"), service: "caddy", paths: paths), "a named volume is not a host folder")
        let elsewhere = try XCTUnwrap(CertificateObserver.dataMountElsewhere(compose("/srv/caddy/data:/data:rw"), service: "caddy", paths: paths))
        XCTAssertEqual(elsewhere, DataMount(service: "caddy", source: "/srv/caddy/data", composeFile: "/gw/home/root/mapio/docker-compose.yml", line: 6))
        var report = CertificateReport(dataDirectory: paths.caddyDataDir)
        report.mountedElsewhere = elsewhere
        XCTAssertTrue(PlanTextRenderer.certificates(report).contains(
            "warning: Caddy's service 'caddy' keeps its data (/data) in /srv/caddy/data (/gw/home/root/mapio/docker-compose.yml:6), not in /gw/usr/local/caddy/caddy_data: set --caddy-data /srv/caddy/data"),
            PlanTextRenderer.certificates(report))
    }

    func tree(_ root: String) throws -> [String: Int] {
        var out: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + relative)
            out[relative] = (attributes[.size] as? Int) ?? -1
        }
        return out
    }
}

/// The names of files opened in a folder while it runs, from the kernel's inotify (IN_OPEN), through a
/// small Python process (ctypes on libc): the real record of opens, whoever made them.
final class InotifyWatcher {
    let process = Process()
    let output = Pipe(), input = Pipe()

    init(_ folder: String) throws {
        let script = """
            import ctypes, os, select, struct, sys
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            fd = libc.inotify_init()
            assert libc.inotify_add_watch(fd, sys.argv[1].encode(), 0x20) >= 0  # IN_OPEN
            print("ready", flush=True)
            names = []
            while True:
                ready, _, _ = select.select([fd, sys.stdin], [], [])
                if fd in ready:
                    data = os.read(fd, 65536)
                    i = 0
                    while i < len(data):
                        _, _, _, length = struct.unpack_from("iIII", data, i)
                        names.append(data[i + 16:i + 16 + length].rstrip(b"\\0").decode())
                        i += 16 + length
                if sys.stdin in ready:
                    sys.stdin.read()
                    # Drain what the kernel queued before the stop.
                    while select.select([fd], [], [], 0.2)[0]:
                        data = os.read(fd, 65536); i = 0
                        while i < len(data):
                            _, _, _, length = struct.unpack_from("iIII", data, i)
                            names.append(data[i + 16:i + 16 + length].rstrip(b"\\0").decode()); i += 16 + length
                    print("\\n".join(names), flush=True)
                    break
            """
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, folder]
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        let ready = output.fileHandleForReading.readData(ofLength: 6)
        guard String(decoding: ready, as: UTF8.self) == "ready\n" else { throw CocoaError(.fileReadUnknown) }
    }

    /// Every file name opened since the start.
    func stop() throws -> [String] {
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
