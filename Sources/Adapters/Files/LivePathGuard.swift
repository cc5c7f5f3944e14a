#if canImport(Glibc)
import Glibc
#endif
import Diagnostics

/// Checks a careful admin makes before touching a live file.
/// - A symbolic link is refused unless allowed: an atomic rename would replace the link itself with a
///   plain file (the file it pointed at keeps the old content, maybe outside the gateway's folders).
///   When allowed, the link is resolved and its target is read and written instead.
/// - A file with no write bit is someone's way of saying "hands off": apply refuses to replace it.
public enum LivePathGuard {
    /// The path to read and write: `path` itself, or the file a permitted link points at.
    public static func resolve(_ path: String, allowSymlink: Bool) throws(Diagnostic) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return path }
        let target = linkTarget(path) ?? "?"
        guard allowSymlink else {
            throw Diagnostic(file: path, position: nil, message: "is a symbolic link (to \(target)); reconcile refuses to replace a linked live file",
                             hint: "point reconcile at the real file, or allow it with --allow-symlinked-live-paths (allow_symlinked_live_paths: true), which then edits the link's target")
        }
        guard let resolved = realpath(path, nil) else {
            throw Diagnostic(file: path, position: nil, message: "is a symbolic link (to \(target)) that leads nowhere",
                             hint: "fix or remove the link")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Refuses to replace a file that has no write bit at all (mode 0444 and the like).
    public static func checkWritable(_ path: String) throws(Diagnostic) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & 0o222 == 0 else { return }
        let mode = String(info.st_mode & 0o7777, radix: 8)
        throw Diagnostic(file: path, position: nil, message: "is read-only (mode \(mode)), so reconcile does not replace it",
                         hint: "make it writable (chmod u+w \(path)) if reconcile should manage it")
    }

    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
