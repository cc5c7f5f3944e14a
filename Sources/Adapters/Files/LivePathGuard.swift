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
        guard let resolved = realPath(path) else {
            throw Diagnostic(file: path, position: nil, message: "is a symbolic link (to \(target)) that leads nowhere",
                             hint: "fix or remove the link")
        }
        return resolved
    }

    /// With `--root`, a live path under it must stay under it: a folder on its way that is a symbolic link
    /// out of the root would send the write elsewhere. Without `--root` folders are followed: a stock gateway
    /// may keep `/usr/local` on another mount through a link. (The file's own link is `resolve`'s business.)
    public static func checkInside(_ path: String, root: String) throws(Diagnostic) {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        guard !base.isEmpty, path.hasPrefix(base + "/"), let realRoot = realPath(base) else { return }
        // The deepest folder on the way that exists: where a write, or a mkdir, would really land.
        var folder = AtomicFileWriter.parentDirectory(of: path)
        var real = realPath(folder)
        while real == nil && folder.count > base.count {
            folder = AtomicFileWriter.parentDirectory(of: folder)
            real = realPath(folder)
        }
        guard let real, realRoot != "/", real != realRoot, !real.hasPrefix(realRoot + "/") else { return }
        throw Diagnostic(file: path, position: nil,
                         message: "is under --root \(base), but its folder \(folder) leads to \(real), outside it (a symbolic link on the way)",
                         hint: "replace the link with the folder itself, or name the file's real path with its own option (--caddyfile, --ha-config, --compose-file)")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
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

    static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
