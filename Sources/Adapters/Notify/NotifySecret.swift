import Foundation

/// A channel's token or secret file: its first line, trimmed, read at each send (a rotated secret takes
/// effect without a restart). A missing or unreadable file may be fixed by the next attempt, an empty one not.
/// Errors name the file, never its content.
func readSecret(_ path: String, what: String, target: String) throws(NotifyError) -> String {
    let bytes: [UInt8]?
    do { bytes = try LiveFileReader.read(path, maxBytes: 64 << 10) } catch {
        throw NotifyError(target: target, reason: "cannot read the \(what) file \(path)", retryable: true)
    }
    guard let bytes else { throw NotifyError(target: target, reason: "cannot read the \(what) file \(path)", retryable: true) }
    let line = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).first
        .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !line.isEmpty else { throw NotifyError(target: target, reason: "the \(what) file \(path) is empty", retryable: false) }
    return line
}
