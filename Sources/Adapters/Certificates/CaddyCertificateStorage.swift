#if canImport(Glibc)
import Glibc
#endif
import Certificates

/// Reads the certificates Caddy keeps in its data directory, one host at a time. Only `.crt` and `.json`
/// files are opened, never a `.key`; links, folders where files should be and oversized files are refused
/// and reported, never followed or read whole.
public struct CaddyCertificateStorage: Sendable {
    /// What one host's storage holds: the certificate files found (their bytes), and what could not be read.
    public struct HostFiles: Sendable, Hashable {
        public struct Found: Sendable, Hashable {
            public var issuerFolder: String
            /// Relative to the data directory.
            public var path: String
            public var certificate: [UInt8]
            public var metadata: [UInt8]?
        }

        public var found: [Found] = []
        public var problems: [String] = []
    }

    /// Caddy's data directory on the host (`/usr/local/caddy/caddy_data`, Caddy's `/data`).
    public var dataDirectory: String
    /// A certificate or its metadata is a few kilobytes.
    public static let maxFileBytes = 256 << 10
    /// Issuer folders looked into (one per CA Caddy ever used).
    public static let maxIssuers = 64

    public init(dataDirectory: String) { self.dataDirectory = dataDirectory }

    /// Whether the data directory itself exists as a folder (nil: it does, else why not).
    public func problemWithDirectory() -> String? {
        switch kind(dataDirectory) {
        case .directory: return nil
        case .missing: return "\(dataDirectory) does not exist"
        case .link: return "\(dataDirectory) is a symbolic link; reconcile does not follow it"
        default: return "\(dataDirectory) is not a folder"
        }
    }

    /// The issuer folders under `caddy/certificates`, sorted; problems for what is not a plain folder.
    public func issuers() -> (folders: [String], problems: [String]) {
        let root = dataDirectory + "/" + "caddy/certificates"
        guard kind(root) == .directory, let directory = opendir(root) else { return ([], []) }
        defer { closedir(directory) }
        var folders: [String] = [], links: [String] = [], entries = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            entries += 1
            // Every entry counts: a folder of 20,000 links or files is read no further than a few issuers'.
            if entries > Self.maxIssuers {
                links.append("more than \(Self.maxIssuers) entries in caddy/certificates: the rest is not read")
                break
            }
            switch kind(root + "/" + name) {
            case .directory: folders.append(name)
            case .link: links.append("caddy/certificates/\(name) is a symbolic link (not followed)")
            default: continue
            }
        }
        // A handful of problems say what is wrong; thousands would only fill the report.
        let problems = links.count <= 3 ? links : Array(links.prefix(3)) + ["and \(links.count - 3) more"]
        return (folders.sorted(), problems)
    }

    /// The files stored for `stem` (a host as certmagic names it) under each issuer folder.
    public func files(stem: String, issuers: [String]) -> HostFiles {
        var result = HostFiles()
        guard !stem.contains("/"), !stem.hasPrefix(".") else { return result }
        for issuer in issuers {
            let folder = "caddy/certificates/\(issuer)/\(stem)"
            switch kind(dataDirectory + "/" + folder) {
            case .missing: continue
            case .directory: break
            case .link: result.problems.append("\(folder) is a symbolic link (not followed)"); continue
            default: result.problems.append("\(folder) is not a folder"); continue
            }
            let crt = folder + "/" + stem + ".crt"
            switch read(crt) {
            case .success(let bytes?):
                let metadata = try? read(folder + "/" + stem + ".json").get()
                result.found.append(HostFiles.Found(issuerFolder: issuer, path: crt, certificate: bytes, metadata: metadata ?? nil))
            case .success(nil): continue
            case .failure(let problem): result.problems.append(problem.reason)
            }
        }
        return result
    }

    /// Whether a certificate for `host` (or the wildcard one label up) is stored under any issuer.
    public func hasCertificate(for host: String) -> Bool {
        let folders = issuers().folders
        return CaddyCertificateLayout.stems(for: host).contains { !files(stem: $0, issuers: folders).found.isEmpty }
    }

    struct Problem: Error { var reason: String }

    /// A plain file's bytes, nil when absent; a link, a non-file or an oversized file is a problem.
    func read(_ relative: String) -> Result<[UInt8]?, Problem> {
        let path = dataDirectory + "/" + relative
        switch kind(path) {
        case .missing: return .success(nil)
        case .file: break
        case .link: return .failure(Problem(reason: "\(relative) is a symbolic link (not followed)"))
        default: return .failure(Problem(reason: "\(relative) is not a regular file"))
        }
        do {
            // No link is followed, even one swapped in after the check above (it could point at a key).
            return .success(try LiveFileReader.read(path, maxBytes: Self.maxFileBytes, followLinks: false))
        } catch {
            return .failure(Problem(reason: "\(relative): \(error.reason)"))
        }
    }

    enum Kind { case missing, file, directory, link, other }

    func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }
}
