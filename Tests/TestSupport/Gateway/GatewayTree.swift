import Adapters
import Foundation
import TestSupportCore

/// A gateway's tree in a fresh folder, the one every harness stands on: the live files where the product
/// looks for them under `--root` (`GatewayPaths.defaults(root:)`, never retyped here), and the exposure repo.
/// A real Caddy (`CaddyGateway`), a compose project (`ComposeGateway`), the bundled example (`Sandbox`,
/// `DaemonSandbox`) are layers on it. The folder goes with the tree.
public final class GatewayTree {
    /// The test's own folder: the tree, the repo, and whatever a layer keeps beside them.
    public let directory: TemporaryDirectory
    public var folder: URL { URL(fileURLWithPath: directory.path) }
    /// What `--root` names: the gateway's `/`.
    public let root: URL
    public let repo: URL
    public let paths: GatewayPaths

    /// Where the tree is in its folder.
    public enum Placement {
        /// `folder/gateway`, the repo at `folder/repo`.
        case besideRepo
        /// `folder` itself, the repo at `folder/repo`: a short path under /tmp that the test engine bind-mounts.
        case atFolder
    }

    /// What the tree holds to begin with.
    public enum Contents {
        /// The folders of the live files, and no file.
        case empty
        /// The bundled example: example-gateway as the tree, example-repo as the repo.
        case example
    }

    public init(prefix: String, placement: Placement = .besideRepo, contents: Contents = .empty) throws {
        directory = placement == .atFolder ? TemporaryDirectory(prefix: prefix, in: "/tmp", shortID: true) : TemporaryDirectory(prefix: prefix)
        let folder = URL(fileURLWithPath: directory.path)
        root = placement == .atFolder ? folder : folder.appendingPathComponent("gateway")
        repo = folder.appendingPathComponent("repo")
        paths = GatewayPaths.defaults(root: root.path)
        switch contents {
        case .empty:
            for directory in [repo, caddyfile.deletingLastPathComponent(), homeAssistantDir, composeDir] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        case .example:
            guard placement == .besideRepo else { throw Unsupported(description: "the example gateway is copied whole: it cannot be the folder") }
            try Self.copyExampleGateway(to: root)
            try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("example-repo"), to: repo)
        }
    }

    public struct Unsupported: Error, CustomStringConvertible { public var description: String }

    /// The bundled example gateway (laid out as `GatewayPaths.defaults`) copied to `root`.
    public static func copyExampleGateway(to root: URL) throws {
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("example-gateway"), to: root)
    }

    public var caddyfile: URL { URL(fileURLWithPath: paths.caddyfile) }
    public var caddyDataDir: URL { URL(fileURLWithPath: paths.caddyDataDir) }
    public var homeAssistantDir: URL { URL(fileURLWithPath: paths.homeAssistantDir) }
    public var configurationYAML: URL { homeAssistantDir.appendingPathComponent("configuration.yaml") }
    public var composeFile: URL { URL(fileURLWithPath: paths.composeFile) }
    public var composeDir: URL { composeFile.deletingLastPathComponent() }
    public var stateDir: URL { URL(fileURLWithPath: paths.stateDir) }
    public var exposureFile: URL { repo.appendingPathComponent("exposure.yaml") }

    /// `--repo` and `--root` for the reconcile binary.
    public var arguments: [String] { ["--repo", repo.path, "--root", root.path] }

    /// The bytes of the three live files of the tree at `root` (absent ones left out), by path.
    public static func liveFiles(root: String) -> [String: Data] {
        let paths = GatewayPaths.defaults(root: root)
        var files: [String: Data] = [:]
        for path in [paths.caddyfile, paths.homeAssistantDir + "/configuration.yaml", paths.composeFile] {
            files[path] = FileManager.default.contents(atPath: path)
        }
        return files
    }

    /// Writes `text` to `url`, its folders made first.
    public func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Adds `text` at the end of `url`, in place (the file's inode kept), as a hand edit does.
    public func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// The exposure repo's desired state.
    public func writeExposure(_ text: String) throws { try write(text, to: exposureFile) }
}
