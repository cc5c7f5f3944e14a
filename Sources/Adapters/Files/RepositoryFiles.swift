#if canImport(Glibc)
import Glibc
#endif

/// Files of a checkout (the exposure repo) as the commit holds them. A symbolic link in a commit is a
/// path chosen by its author; what it points at is not part of the commit (nor of its signature).
public enum RepositoryFiles {
    public struct Link: Sendable, Hashable {
        /// Relative to the repository, as in the commit.
        public var path: String
        /// What the link says, as in the commit (never what it points at).
        public var target: String
    }

    /// The first component of `relative` under `repo` that is a symbolic link; nil when none is.
    /// The repository folder itself may be a link: the admin chose that path.
    public static func firstLink(in repo: String, to relative: String) -> Link? {
        var current = repo.hasSuffix("/") ? String(repo.dropLast()) : repo
        var walked: [Substring] = []
        for component in relative.split(separator: "/") {
            current += "/" + component
            walked.append(component)
            var info = stat()
            guard lstat(current, &info) == 0 else { return nil }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                return Link(path: walked.joined(separator: "/"), target: LivePathGuard.linkTarget(current) ?? "?")
            }
        }
        return nil
    }
}
