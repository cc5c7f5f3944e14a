import Diagnostics
import YAMLEdit

/// A parsed compose file: its `services:` mapping and each service's definition, spans intact.
struct ComposeFile {
    struct Service {
        let name: String
        /// The `name: definition` pair under `services:`.
        let pair: YAMLPair
        /// The definition with an alias resolved; nil when the service has no mapping (`name:` alone).
        let definition: YAMLNode?
    }

    let file: String
    let document: YAMLDocument
    let source: SourceLines
    let anchors: YAMLAnchorIndex
    /// The `services:` mapping (an alias resolved).
    let servicesNode: YAMLNode
    let servicesKey: YAMLNode
    let services: [Service]

    static func parse(_ bytes: [UInt8], file: String) throws(Diagnostic) -> ComposeFile {
        let document: YAMLDocument
        do { document = try YAMLDocument.parse(bytes, file: file) } catch {
            var problem = error
            problem.hint = problem.hint ?? "docker compose cannot read this file either: fix it there, then run reconcile again"
            throw problem
        }
        if document.documents.count > 1 {
            throw Diagnostic(file: file, position: document.documents[1].start.position,
                             message: "the compose file holds \(document.documents.count) YAML documents; Compose reads one",
                             hint: "remove the `---` separators")
        }
        guard let root = document.root, root.pairs != nil else {
            throw Diagnostic(file: file, position: document.root?.start.position,
                             message: "not a compose file: the top level is \(document.root?.kindDescription ?? "empty"), not a mapping with `services:`",
                             hint: "check that --compose-file names the gateway's docker-compose.yml")
        }
        try rejectDuplicateKeys(root, file: file)
        let anchors = YAMLAnchorIndex(document)
        guard let servicesPair = root.pair(forKey: "services") else {
            throw Diagnostic(file: file, position: root.start.position,
                             message: "no `services:` key at the top level",
                             hint: "reconcile edits compose files of format 2 and later, which list services under `services:`")
        }
        guard let servicesNode = anchors.resolve(servicesPair.value), let pairs = servicesNode.pairs else {
            throw Diagnostic(file: file, position: servicesPair.value.start.position,
                             message: "`services:` is \(servicesPair.value.kindDescription), not a mapping of service names",
                             hint: "write each service as `name:` with its settings below it")
        }
        try rejectDuplicateKeys(servicesNode, file: file)
        var services: [Service] = []
        for pair in pairs {
            guard let name = pair.key.scalarValue, name != "<<" else { continue }
            let definition = anchors.resolve(pair.value).flatMap { $0.pairs == nil ? nil : $0 }
            services.append(Service(name: name, pair: pair, definition: definition))
        }
        return ComposeFile(file: file, document: document, source: SourceLines(bytes), anchors: anchors,
                           servicesNode: servicesNode, servicesKey: servicesPair.key, services: services)
    }

    /// Compose refuses a mapping with a key twice; which one we edited would be a guess.
    static func rejectDuplicateKeys(_ mapping: YAMLNode, file: String) throws(Diagnostic) {
        var seen: [String: YAMLNode] = [:]
        for pair in mapping.pairs ?? [] {
            guard let key = pair.key.scalarValue, key != "<<" else { continue }
            if let first = seen[key] {
                throw Diagnostic(file: file, position: pair.key.start.position,
                                 message: "'\(key)' appears twice in one mapping (first at line \(first.start.line))",
                                 hint: "docker compose refuses a repeated key too: merge the two")
            }
            seen[key] = pair.key
        }
    }

    func service(_ name: String) -> Service? {
        services.first { $0.name == name }
    }

    var serviceNames: [String] { services.map(\.name) }
}
