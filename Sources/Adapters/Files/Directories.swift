#if canImport(Glibc)
import Glibc
#endif

public enum Directories {
    /// `mkdir -p` with a private mode: the state dir holds backups of files that may carry secrets.
    /// Below `base` (the state dir) no folder may be a symbolic link, checked one by one from `base` down: a
    /// link planted there would send backups and status files wherever it points. `base` itself and what
    /// is above it are followed (the admin chose that path).
    public static func create(_ path: String, mode: mode_t = 0o700, within base: String? = nil) throws(FileError) {
        if let base, path.hasPrefix(base + "/") {
            try create(base, mode: mode)
            var current = base
            for component in path.dropFirst(base.count + 1).split(separator: "/") {
                current += "/" + component
                try createOne(current, mode: mode)
            }
            return
        }
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw FileError(path: path, operation: "use it as a directory", reason: "it is a file")
            }
            return
        }
        let parent = AtomicFileWriter.parentDirectory(of: path)
        if parent != path && parent != "." && parent != "/" { try create(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw FileError.errno(path, "create the directory") }
    }

    /// One folder of reconcile's state: made if missing, refused if it is a link or not a folder.
    private static func createOne(_ path: String, mode: mode_t) throws(FileError) {
        var info = stat()
        if lstat(path, &info) != 0 {
            guard mkdir(path, mode) == 0 || errno == EEXIST else { throw FileError.errno(path, "create the directory") }
            guard lstat(path, &info) == 0 else { throw FileError.errno(path, "create the directory") }
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return
        case S_IFLNK:
            throw FileError(path: path, operation: "use it as a folder of reconcile's state", reason: "it is a symbolic link",
                            advice: "remove it (rm \(path)); reconcile makes the folder again", kind: .unsafeLocation)
        default:
            throw FileError(path: path, operation: "use it as a directory", reason: "it is a file")
        }
    }

    /// The state dir, made if missing, and refused when someone else could plant files in it: it must be
    /// a folder of the user reconcile runs as, writable by no group and no other user.
    public static func createStateDir(_ path: String) throws(FileError) {
        try create(path)
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileError.errno(path, "use it as the state dir") }
        if info.st_uid != geteuid() {
            throw FileError(path: path, operation: "use it as the state dir",
                            reason: "it belongs to user \(info.st_uid), not to the user reconcile runs as (\(geteuid()))",
                            advice: "chown \(geteuid()) \(path), or choose another --state-dir", kind: .unsafeLocation)
        }
        if info.st_mode & 0o022 != 0 {
            throw FileError(path: path, operation: "use it as the state dir",
                            reason: "other users may write in it (mode \(String(info.st_mode & 0o7777, radix: 8)))",
                            advice: "chmod go-w \(path) (reconcile keeps backups and its lock there)", kind: .unsafeLocation)
        }
    }
}
