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

    enum CodingKeys: String, CodingKey {
        case problem, hosts
        case dataDirectory = "data_directory"
    }
}
