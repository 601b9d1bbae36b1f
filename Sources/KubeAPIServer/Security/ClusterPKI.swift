import Crypto
import Foundation
import SwiftASN1
import X509

/// The cluster's certificates: a CA, the API server's serving certificate and an admin client
/// certificate, generated on first start into `<data-dir>/tls` and reused after that.
public struct ClusterPKI: Sendable {
    public var caCertificatePEM: String
    public var servingCertificatePEM: String
    public var servingKeyPEM: String
    public var adminCertificatePEM: String
    public var adminKeyPEM: String
    private var caKeyPEM: String

    static let caFile = "ca.crt", caKeyFile = "ca.key"
    static let servingFile = "serving.crt", servingKeyFile = "serving.key"
    static let adminFile = "admin.crt", adminKeyFile = "admin.key"

    /// Loads the certificates from `directory`, creating any that are missing. The serving
    /// certificate is re-issued when `hostnames`/`addresses` name something it does not cover.
    public static func loadOrCreate(directory: String, hostnames: [String], addresses: [String]) throws -> ClusterPKI {
        let files = FileStore(directory: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let caKey: P256.Signing.PrivateKey
        let caCertificate: Certificate
        if let keyPEM = files.read(caKeyFile), let certificatePEM = files.read(caFile) {
            caKey = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            caCertificate = try Certificate(pemEncoded: certificatePEM)
        } else {
            caKey = P256.Signing.PrivateKey()
            caCertificate = try makeCA(key: caKey)
            try files.write(caKeyFile, caKey.pemRepresentation, secret: true)
            try files.write(caFile, caCertificate.serializeAsPEM().pemString)
        }
        let issuer = Issuer(certificate: caCertificate, key: caKey)

        var servingPEM = files.read(servingFile)
        var servingKeyPEM = files.read(servingKeyFile)
        let servingCovers = try servingPEM.map { try covers(certificatePEM: $0, hostnames: hostnames, addresses: addresses) } ?? false
        if !servingCovers || servingKeyPEM == nil {
            let key = P256.Signing.PrivateKey()
            let certificate = try issuer.issueServing(key: key, hostnames: hostnames, addresses: addresses)
            servingPEM = try certificate.serializeAsPEM().pemString
            servingKeyPEM = key.pemRepresentation
            try files.write(servingKeyFile, servingKeyPEM!, secret: true)
            try files.write(servingFile, servingPEM!)
        }

        var adminPEM = files.read(adminFile)
        var adminKeyPEM = files.read(adminKeyFile)
        if adminPEM == nil || adminKeyPEM == nil {
            let key = P256.Signing.PrivateKey()
            let certificate = try issuer.issueClient(key: key, user: "system:admin", groups: ["system:masters"])
            adminPEM = try certificate.serializeAsPEM().pemString
            adminKeyPEM = key.pemRepresentation
            try files.write(adminKeyFile, adminKeyPEM!, secret: true)
            try files.write(adminFile, adminPEM!)
        }

        return ClusterPKI(
            caCertificatePEM: try caCertificate.serializeAsPEM().pemString,
            servingCertificatePEM: servingPEM!, servingKeyPEM: servingKeyPEM!,
            adminCertificatePEM: adminPEM!, adminKeyPEM: adminKeyPEM!, caKeyPEM: caKey.pemRepresentation)
    }

    /// Issues a client certificate signed by the cluster CA (CN = user, O = groups).
    public func issueClientCertificate(user: String, groups: [String]) throws -> (certificatePEM: String, keyPEM: String) {
        let issuer = Issuer(
            certificate: try Certificate(pemEncoded: caCertificatePEM),
            key: try P256.Signing.PrivateKey(pemRepresentation: caKeyPEM))
        let key = P256.Signing.PrivateKey()
        let certificate = try issuer.issueClient(key: key, user: user, groups: groups)
        return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
    }

    static func makeCA(key: P256.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName { CommonName("skiff-ca@\(Int(Date().timeIntervalSince1970))") }
        let publicKey = Certificate.PublicKey(key.publicKey)
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(10 * 365 * 86400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
    }

    static func covers(certificatePEM: String, hostnames: [String], addresses: [String]) throws -> Bool {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        guard let names = try certificate.extensions.subjectAlternativeNames else { return false }
        let present = Set(names.map { "\($0)" })
        let wanted = Issuer.generalNames(hostnames: hostnames, addresses: addresses).map { "\($0)" }
        return wanted.allSatisfy(present.contains) && certificate.notValidAfter > Date().addingTimeInterval(30 * 86400)
    }
}

/// Signs leaf certificates with the cluster CA.
private struct Issuer {
    let certificate: Certificate
    let key: P256.Signing.PrivateKey

    func issue(key leafKey: P256.Signing.PrivateKey, subject: DistinguishedName, extensions: Certificate.Extensions) throws -> Certificate {
        try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(leafKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(365 * 86400),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(key))
    }

    func issueServing(key leafKey: P256.Signing.PrivateKey, hostnames: [String], addresses: [String]) throws -> Certificate {
        let subject = try DistinguishedName { CommonName("kube-apiserver") }
        return try issue(key: leafKey, subject: subject, extensions: try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(Self.generalNames(hostnames: hostnames, addresses: addresses))
        })
    }

    func issueClient(key leafKey: P256.Signing.PrivateKey, user: String, groups: [String]) throws -> Certificate {
        let subject = try DistinguishedName {
            for group in groups { OrganizationName(group) }
            CommonName(user)
        }
        return try issue(key: leafKey, subject: subject, extensions: try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage([.clientAuth])
        })
    }

    static func generalNames(hostnames: [String], addresses: [String]) -> [GeneralName] {
        var names = hostnames.map { GeneralName.dnsName($0) }
        for address in addresses {
            if let bytes = IPAddressBytes.parse(address) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }
        return names
    }
}

/// Files of the PKI directory; private keys are written readable by the owner only.
private struct FileStore {
    let directory: String

    func read(_ name: String) -> String? {
        try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)
    }

    func write(_ name: String, _ contents: String, secret: Bool = false) throws {
        let path = directory + "/" + name
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        if secret { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
    }
}
