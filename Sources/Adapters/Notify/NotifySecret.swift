import FoundationEssentials

/// A channel's token or secret file: its first line, trimmed, read at each send (a rotated secret takes
/// effect without a restart), through `SecretFile`: private, regular, small. A missing or unreadable file may
/// be fixed by the next attempt; one others may read, or an empty one, is refused until the owner fixes it.
/// Errors name the file, never its content.
func readSecret(_ path: String, what: String, target: String) throws(NotifyError) -> String {
    do {
        return try SecretFile.firstLine(path, what: "the \(what) file")
    } catch {
        // The system's refusals (a missing file, a full disk) may pass by the next attempt; the file's own faults wait for its owner.
        let retryable = error.kind == .system
        throw NotifyError(target: target, reason: "cannot use the \(what) file \(path): \(error.reasonWithAdvice)", retryable: retryable)
    }
}
