import Foundation

/// The first line of a secret file (a token, a shared secret), trimmed: how such files are usually written.
/// Read at each use, so a rotated secret takes effect without a restart. Errors name the file, never its content.
public enum SecretFile {
    public enum Problem: Error, Sendable, Hashable {
        case unreadable, empty
    }

    public static func firstLine(_ path: String) throws(Problem) -> String {
        let bytes: [UInt8]?
        do { bytes = try LiveFileReader.read(path, maxBytes: 64 << 10) } catch { throw .unreadable }
        guard let bytes else { throw .unreadable }
        let line = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { throw .empty }
        return line
    }
}

/// `SecretFile.firstLine` for a channel: a missing or unreadable file may be fixed by the next attempt, an empty one not.
func readSecret(_ path: String, what: String, target: String) throws(NotifyError) -> String {
    do {
        return try SecretFile.firstLine(path)
    } catch .unreadable {
        throw NotifyError(target: target, reason: "cannot read the \(what) file \(path)", retryable: true)
    } catch {
        throw NotifyError(target: target, reason: "the \(what) file \(path) is empty", retryable: false)
    }
}
