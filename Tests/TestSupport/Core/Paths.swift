import Foundation

/// The package root, found from this file's path (Tests/TestSupport/Core/Paths.swift).
public let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The `reconcile` executable built next to the test bundle.
public func reconcileBinary() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("reconcile")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    struct NotBuilt: Error, CustomStringConvertible {
        var description: String { "the reconcile executable was not found next to the tests: run `swift build --build-tests` first" }
    }
    throw NotBuilt()
}

/// A fresh directory per test, removed afterwards.
public final class TemporaryDirectory: Sendable {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    /// `parent/prefix-<id>`; a short id keeps paths short where a container mounts them.
    public init(prefix: String = "reconcile-test", in parent: String = FileManager.default.temporaryDirectory.path, shortID: Bool = false) {
        let id = shortID ? UUID().uuidString.prefix(8).lowercased() : UUID().uuidString
        path = (parent as NSString).appendingPathComponent("\(prefix)-\(id)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { remove() }

    /// Removes it now rather than when the last reference goes.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `relative` inside the directory.
    public func sub(_ relative: String) -> String { path + "/" + relative }

    /// Writes `content` to `relative` (parents created) with `mode`; returns its path.
    @discardableResult
    public func file(_ relative: String, _ content: String, mode: Int = 0o644) -> String {
        let target = sub(relative)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: target, contents: Data(content.utf8), attributes: [.posixPermissions: mode]),
                     "could not write \(target)")
        return target
    }
}
