/// Turns a failed command into a `ComposeRuntimeError` of the right kind, from what it printed.
/// v1 (Python) and v2 (Go) word the same failures differently; both are listed.
enum ComposeFailureClassifier {
    /// What the command was for: a rejected file means something different while validating.
    enum Purpose { case validate, query, up }

    static let engineDownMarkers = [
        "Cannot connect to the Docker daemon",          // docker CLI, Compose v2
        "Couldn't connect to Docker daemon",            // Compose v1, socket refused
        "Error while fetching server API version",      // Compose v1 (docker-py), socket missing
        "Is the docker daemon running",
        "error during connect",
        "docker.sock: connect: connection refused",
    ]
    static let binaryMissingMarkers = [
        "is not a docker command",                      // docker CLI without the compose plugin
        "unknown command: docker compose",
        "unknown shorthand flag: 'f' in -f",            // `docker compose -f …` without the plugin
    ]
    /// Outside validation (where any failure is the file's), the few messages that can only mean the file.
    static let fileRejectedMarkers = [
        "is invalid because",                           // Compose v1 schema errors
        "depends on service",                           // unknown dependency (v1)
        "depends on undefined service",                 // unknown dependency (v2)
    ]

    static func error(_ output: SubprocessOutput, command: [String], purpose: Purpose, context: String?) -> ComposeRuntimeError {
        let text = output.stderr + output.stdout
        let kind: ComposeRuntimeError.Kind
        if engineDownMarkers.contains(where: text.contains) {
            kind = .engineDown
        } else if output.status == 127 || binaryMissingMarkers.contains(where: text.contains) {
            kind = .binaryMissing
        } else if purpose == .validate || fileRejectedMarkers.contains(where: text.contains) {
            kind = .fileRejected
        } else {
            kind = .commandFailed
        }
        let stderr = output.stderr.isEmpty ? output.stdout : output.stderr
        return ComposeRuntimeError(kind: kind, command: command, exitStatus: output.status, stderr: stderr, context: context)
    }
}
