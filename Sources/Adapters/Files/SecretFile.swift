#if canImport(Glibc)
import EssentialsExtras
import Glibc
#endif
import FoundationEssentials

/// A file holding a secret (a git token, a webhook secret, an SSH key, a Home Assistant token): a small
/// regular file that only its owner may read or write, as ssh demands of a private key. A secret others on
/// the machine can read is already leaked, one they can write lets them choose it: both are refused with the fix.
public enum SecretFile {
    /// Largest secret file read. Tokens and keys are well under 16 KiB; this keeps `/dev/zero` or a log file
    /// given by mistake from being read whole.
    public static let maxBytes = 64 << 10

    /// The file's bytes, after the checks of `check`. `what` names the file in messages ("the token file").
    public static func read(_ path: String, what: String) throws(FileError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked right after.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw unreadable(path, what) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.errno(path, "stat \(what)") }
        try check(info, path, what)
        return try LiveFileReader.readAll(fd, path: path, expected: Int(info.st_size), maxBytes: maxBytes, doing: "read \(what)") {
            tooLarge(path, what)
        }
    }

    /// The first line, spaces trimmed (how token files are written); an empty one is refused.
    public static func firstLine(_ path: String, what: String) throws(FileError) -> String {
        let bytes = try read(path, what: what)
        let line = bytes.split(whereSeparator: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }).first.map(Array.init) ?? []
        let text = String(decoding: line, as: UTF8.self).trimmingWhitespace()
        guard !text.isEmpty else {
            throw FileError(path: path, operation: "read \(what)", reason: "its first line is empty", advice: "put the token on the first line",
                            kind: .unusableContent)
        }
        return text
    }

    /// The checks of `read` for a file something else reads (libgit2 reads the SSH key itself).
    public static func checkPrivate(_ path: String, what: String) throws(FileError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw unreadable(path, what) }
        try check(info, path, what)
    }

    static func check(_ info: stat, _ path: String, _ what: String) throws(FileError) {
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: path, operation: "use it as \(what)", reason: "it is not a regular file",
                            advice: "point reconcile at the file that holds the secret (a folder, device or pipe never is one)", kind: .notRegularFile)
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw FileError(path: path, operation: "use it as \(what)",
                            reason: "its mode is \(String(mode, radix: 8)): group or others may read or change the secret",
                            advice: "chmod 600 \(path), and replace the secret if others could read it", kind: .notPrivate)
        }
        guard Int(info.st_size) <= maxBytes else { throw tooLarge(path, what) }
    }

    private static func unreadable(_ path: String, _ what: String) -> FileError {
        let code = errno
        if code == ENOENT { return FileError(path: path, operation: "read \(what)", reason: "it does not exist", advice: "check the path") }
        return FileError.errno(path, "read \(what)", code)
    }

    private static func tooLarge(_ path: String, _ what: String) -> FileError {
        FileError(path: path, operation: "read \(what)", reason: "it is over the limit of \(maxBytes) bytes",
                  advice: "a secret file holds one token or key: check the path", kind: .tooLarge)
    }
}

extension FileError {
    /// The reason and its advice, for a message that already names the file and what was done with it.
    public var reasonWithAdvice: String { reason + (advice.map { " (\($0))" } ?? "") }
}
