/// Every exposed host's certificate, and what kept Caddy's storage from being read, if anything.
public struct CertificateReport: Sendable, Hashable, Codable {
    public init(dataDirectory: String, problem: String? = nil, hosts: [HostCertificate] = []) {
        self.dataDirectory = dataDirectory
        self.problem = problem
        self.hosts = hosts
    }

    public var dataDirectory: String
    public var problem: String?
    public var hosts: [HostCertificate] = []
    /// Caddy's compose service keeps its `/data` somewhere else than where reconcile reads.
    public var mountedElsewhere: DataMount?

    enum CodingKeys: String, CodingKey {
        case problem, hosts
        case dataDirectory = "data_directory"
        case mountedElsewhere = "mounted_elsewhere"
    }
}

/// Where Caddy's compose service mounts its data directory, as its compose file says.
public struct DataMount: Sendable, Hashable, Codable {
    public var service: String
    /// The host folder mounted at `/data`.
    public var source: String
    public var composeFile: String
    public var line: Int

    public init(service: String, source: String, composeFile: String, line: Int) {
        self.service = service
        self.source = source
        self.composeFile = composeFile
        self.line = line
    }

    enum CodingKeys: String, CodingKey {
        case service, source, line
        case composeFile = "compose_file"
    }
}
