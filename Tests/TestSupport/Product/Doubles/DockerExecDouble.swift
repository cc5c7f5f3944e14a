import Foundation
import XCTest

/// A stand-in for the Docker CLI's `docker exec [-i] -w DIR CONTAINER caddy ARGS…`: runs $DOUBLE_CADDY ARGS
/// in DIR on this host, logging each call; or, made with `failWith`, prints that as the engine would and fails.
public final class DockerExecDouble {
    public let folder: String
    public let script: String
    public let log: String

    public init(failWith failure: String? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("docker-exec-double-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        script = folder + "/docker"
        log = folder + "/calls.log"
        let body = failure.map { "echo '\($0)' >&2; exit 1" } ?? """
            [ "$1" = exec ] || { echo "double: only exec" >&2; exit 2; }
            shift
            [ "$1" = -i ] && shift
            [ "$1" = -w ] || { echo "double: -w expected" >&2; exit 2; }
            dir=$2; shift 3
            [ "$1" = caddy ] || { echo "double: caddy expected" >&2; exit 2; }
            shift
            cd "$dir" && HOME="\(folder)" XDG_DATA_HOME="\(folder)/data" XDG_CONFIG_HOME="\(folder)/config" exec "$DOUBLE_CADDY" "$@"
            """
        let text = "#!/bin/bash\necho \"$*\" >> '\(log)'\n\(body)\n"
        XCTAssertTrue(FileManager.default.createFile(atPath: script, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755]))
    }

    public func calls() -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }
}
