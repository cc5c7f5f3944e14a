import Networks
import Diagnostics

/// `.storage/http` as Home Assistant writes it (`version` 2, minor 1 to 3): parsed with spans, and checked
/// against the shape we rely on before anything is edited. Unknown fields, and each slot's metadata
/// (`created_at`, `error`, `error_message`, from minor 2 on), are allowed and kept byte for byte.
struct StorageHTTPFile {
    let bytes: [UInt8]
    let file: String
    let root: JSONNode

    static let supportedVersion = 2
    /// 2.1 is the first storage-mode file; 2.2 added each slot's metadata; 2.3 renamed the SSL profiles.
    static let supportedMinorVersions = 1...3
    /// Kept by Home Assistant next to a slot's settings; never part of a config sent to `http/config/configure`.
    static let metadataKeys = ["created_at", "error", "error_message"]
    static let flagKey = "use_x_forwarded_for"
    static let proxiesKey = "trusted_proxies"

    init(bytes: [UInt8], file: String) throws(Diagnostic) {
        self.bytes = bytes
        self.file = file
        root = try JSONSpanParser.parse(bytes, file: file)
        guard root.members != nil else { throw problem(root, "the file is not a JSON object") }
    }

    var data: JSONNode? { root["data"] }

    /// Storage mode applies when Home Assistant has migrated the YAML block (and says so).
    var migrationDone: Bool { data?["yaml_migration_done"]?.bool == true }

    var stable: JSONNode? { data?["stable"] }

    /// The trial configuration, when there is one (null otherwise).
    var pending: JSONNode? {
        guard let node = data?["pending"], node.members != nil else { return nil }
        return node
    }

    /// What Home Assistant does with `pending`: a pending whose `error` is set is never applied again.
    var pendingStatus: PendingStatus {
        guard let pending else { return .none }
        guard let error = pending["error"], !error.isNull else { return .trial }
        return .failed(error: error.string ?? "?")
    }

    var minorVersion: Int? { root["minor_version"]?.integer }

    /// The storage schema: version, minor_version, key, data.stable (an object), data.pending (null or an
    /// object), yaml_migration_done (a bool), and our two fields' types wherever they appear.
    func validate() throws(Diagnostic) {
        guard let version = root["version"], let number = version.integer else { throw problem(root, "\"version\" is missing or not an integer") }
        guard number == Self.supportedVersion else {
            throw problem(version, "storage version \(number) is not the one reconcile knows (\(Self.supportedVersion))",
                          hint: "update reconcile, or change the proxy settings in Home Assistant yourself")
        }
        guard let minor = root["minor_version"], let minorNumber = minor.integer else { throw problem(root, "\"minor_version\" is missing or not an integer") }
        guard Self.supportedMinorVersions.contains(minorNumber) else {
            throw problem(minor, "storage version 2.\(minorNumber) is not one reconcile knows (2.1 to 2.3)",
                          hint: "update reconcile, or change the proxy settings in Home Assistant yourself")
        }
        guard root["key"]?.string == "http" else { throw problem(root["key"] ?? root, "\"key\" is not \"http\"") }
        guard let data, data.members != nil else { throw problem(root, "\"data\" is missing or not an object") }
        guard let stable, stable.members != nil else { throw problem(data, "\"data.stable\" is missing or not an object") }
        if let pending = data["pending"], !pending.isNull, pending.members == nil {
            throw problem(pending, "\"data.pending\" is neither null nor an object")
        }
        if let done = data["yaml_migration_done"], done.bool == nil { throw problem(done, "\"yaml_migration_done\" is not true or false") }
        for (name, settings) in [("stable", stable), ("pending", pending)] {
            guard let settings else { continue }
            for key in Self.metadataKeys {
                if let value = settings[key], !value.isNull, value.string == nil {
                    throw problem(value, "\"data.\(name).\(key)\" is neither null nor a string")
                }
            }
            if let flag = settings[Self.flagKey], flag.bool == nil, !flag.isNull {
                throw problem(flag, "\"data.\(name).use_x_forwarded_for\" is not true or false")
            }
            if let proxies = settings[Self.proxiesKey], !proxies.isNull {
                guard case .array(let items) = proxies.kind, items.allSatisfy({ $0.string != nil }) else {
                    throw problem(proxies, "\"data.\(name).trusted_proxies\" is not a list of strings")
                }
            }
        }
    }

    /// Our two settings in `stable` or `pending`. A null value counts as present but empty.
    static func snapshot(of settings: JSONNode) -> TrustSnapshot {
        let flag: TrustSnapshot.Flag
        switch settings[flagKey]?.bool {
        case true?: flag = .isTrue
        case false?: flag = .notTrue
        case nil: flag = settings[flagKey] == nil ? .absent : .notTrue
        }
        var proxies: [IPNetwork?] = []
        if case .array(let items)? = settings[proxiesKey]?.kind {
            proxies = items.map { item in item.string.flatMap { try? IPNetwork.parse($0).get() } }
        }
        return TrustSnapshot(flag: flag, hasProxiesKey: settings[proxiesKey] != nil, proxies: proxies)
    }

    func problem(_ node: JSONNode, _ message: String,
                 hint: String = "Home Assistant writes this file itself; restore it from a backup or let Home Assistant recreate it") -> Diagnostic {
        let lines = LineCounter(bytes: bytes)
        return Diagnostic(file: file, position: lines.position(of: node.range.lowerBound), message: message, hint: hint)
    }
}

/// 1-based line and character column of a byte offset (for messages about JSON).
struct LineCounter {
    let bytes: [UInt8]

    func position(of offset: Int) -> SourcePosition {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }
}

/// What Home Assistant does with `data.pending` at its next normal start.
enum PendingStatus: Equatable {
    /// `pending` is null: it starts on `stable`.
    case none
    /// A clean pending (`error` null): a trial it runs, reverted to `stable` 5 minutes after the start unless promoted.
    case trial
    /// `error` is set (`not_promoted`, `apply_failed`): never applied again; it starts on `stable`.
    case failed(error: String)
}
