import Foundation

/// Where the fixtures and the shared conformance corpus are, found from this file's path so
/// that no resources declaration is needed (CI runs the tests from /work/main).
enum TestPaths {
    /// Tests/CaddyfileTests/Support/TestPaths.swift -> Tests/CaddyfileTests
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")

    /// `<package root>/../shared`, or `$RECONCILE_SHARED_DIR` if that is not there.
    static var sharedDirectory: URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        for tests in [testsDirectory, testsDirectory.resolvingSymlinksInPath()] {
            let packageRoot = tests.deletingLastPathComponent().deletingLastPathComponent()
            candidates.append(packageRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        }
        if let env = ProcessInfo.processInfo.environment["RECONCILE_SHARED_DIR"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        return candidates.first { fileManager.fileExists(atPath: $0.appendingPathComponent("conformance/caddy-adapt").path) }
    }

    static var corpus: URL? { sharedDirectory?.appendingPathComponent("conformance/caddy-adapt") }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }
}
