#if canImport(Glibc)
import Glibc
#endif

public enum Directories {
    /// `mkdir -p` with a private mode: the state dir holds backups of files that may carry secrets.
    public static func create(_ path: String, mode: mode_t = 0o700) throws(FileError) {
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
}
