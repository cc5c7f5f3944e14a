import FoundationEssentials
import SwiftASN1
import X509

/// What a certificate says about itself: the names it covers, when it is valid, who issued it. Read from
/// PEM (Caddy's `.crt` files, curl's `%{certs}`); the private key is never part of it.
public struct CertificateFacts: Sendable, Hashable, Codable {
    /// DNS names of its subjectAltName extension, lower-cased (a `*.` name covers one label).
    public var names: [String]
    public var notBefore: Int64
    public var notAfter: Int64
    /// The issuer's common name, else its organisation, else its whole name.
    public var issuer: String
    /// The serial number in hex: tells the stored and the served certificate apart.
    public var serial: String

    public init(names: [String], notBefore: Int64, notAfter: Int64, issuer: String, serial: String) {
        self.names = names
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.issuer = issuer
        self.serial = serial
    }

    enum CodingKeys: String, CodingKey {
        case names, issuer, serial
        case notBefore = "not_before"
        case notAfter = "not_after"
    }

    /// True when one of its names covers `host` (exactly, or as `*.parent` one label up).
    public func covers(_ host: String) -> Bool {
        let host = host.lowercased()
        return names.contains { name in
            if name == host { return true }
            guard name.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
            return host[host.index(after: dot)...] == name.dropFirst(2)
        }
    }

    /// The renewal window Caddy uses when the CA suggests none: the last third of the lifetime.
    public var defaultRenewalStart: Int64 { notAfter - (notAfter - notBefore) / 3 }
}

/// A PEM that does not hold a certificate we can read.
public struct CertificateParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

public enum CertificatePEM {
    /// The first certificate of a PEM text (the leaf of a chain, as Caddy and curl write chains).
    public static func leaf(_ bytes: [UInt8]) throws(CertificateParseError) -> CertificateFacts {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let begin = text.firstRange(of: "-----BEGIN CERTIFICATE-----"),
              let end = text[begin.upperBound...].firstRange(of: "-----END CERTIFICATE-----") else {
            throw CertificateParseError(description: "no PEM certificate in it")
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: String(text[begin.lowerBound..<end.upperBound]))
        } catch {
            throw CertificateParseError(description: "not a readable X.509 certificate (\(error))")
        }
        var names: [String] = []
        if let alternatives = try? certificate.extensions.subjectAlternativeNames {
            for name in alternatives {
                if case .dnsName(let dns) = name { names.append(dns.lowercased()) }
            }
        }
        return CertificateFacts(names: names,
                                notBefore: Int64(certificate.notValidBefore.timeIntervalSince1970),
                                notAfter: Int64(certificate.notValidAfter.timeIntervalSince1970),
                                issuer: issuerName(certificate.issuer),
                                serial: certificate.serialNumber.bytes.map { byte in
                                    let hex = String(byte, radix: 16)
                                    return hex.count == 1 ? "0" + hex : hex
                                }.joined())
    }

    static func issuerName(_ name: DistinguishedName) -> String {
        var common: String?, organisation: String?
        for rdn in name {
            for attribute in rdn {
                if attribute.type == .RDNAttributeType.commonName { common = common ?? "\(attribute.value)" }
                if attribute.type == .RDNAttributeType.organizationName { organisation = organisation ?? "\(attribute.value)" }
            }
        }
        return common ?? organisation ?? name.description
    }
}
