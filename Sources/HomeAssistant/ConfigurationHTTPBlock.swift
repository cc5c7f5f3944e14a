import Networks
import Diagnostics
import YAMLEdit

/// The top-level `http:` of configuration.yaml, located and checked: anything we cannot edit without
/// guessing (an `!include`, an alias, a flow mapping, a `!secret` value of ours…) is refused here,
/// with a hint saying what the user can do. Values of other keys are never put in a message.
struct ConfigurationHTTPBlock {
    enum Placement {
        /// No `http:` key (or an empty file: `root` is nil).
        case absent
        /// `http:` with no value (or `~`/`null`): Home Assistant uses its defaults.
        case empty(key: YAMLNode, value: YAMLNode)
        case mapping(key: YAMLNode, value: YAMLNode)
    }

    let document: YAMLDocument
    let root: YAMLNode?
    let placement: Placement
    let flagPair: YAMLPair?
    let proxiesPair: YAMLPair?
    /// The entries of `trusted_proxies`, in the order of `snapshot.proxies`.
    let proxyItems: [YAMLNode]
    let snapshot: TrustSnapshot

    static let flagKey = "use_x_forwarded_for"
    static let proxiesKey = "trusted_proxies"

    /// `suggestion` is the text to put in hints (the desired settings).
    static func locate(in document: YAMLDocument, suggestion: String) throws(Diagnostic) -> ConfigurationHTTPBlock {
        let file = document.file
        func refuse(_ node: YAMLNode, _ message: String, _ hint: String) -> Diagnostic {
            Diagnostic(file: file, position: node.start.position, message: message, hint: hint)
        }
        guard let root = document.root else {
            return ConfigurationHTTPBlock(document: document, root: nil, placement: .absent, flagPair: nil, proxiesPair: nil,
                                          proxyItems: [], snapshot: TrustSnapshot(flag: .absent, hasProxiesKey: false, proxies: []))
        }
        guard case .mapping(let rootPairs, flow: false) = root.kind else {
            throw refuse(root, "the top level of configuration.yaml is \(root.isFlow ? "a flow mapping" : root.kindDescription), not a block of keys",
                         "Home Assistant expects `key: value` lines at the top level; fix the file, then run reconcile again")
        }
        let httpPairs = rootPairs.filter { $0.key.scalarValue == "http" }
        guard let httpPair = httpPairs.first else {
            return ConfigurationHTTPBlock(document: document, root: root, placement: .absent, flagPair: nil, proxiesPair: nil,
                                          proxyItems: [], snapshot: TrustSnapshot(flag: .absent, hasProxiesKey: false, proxies: []))
        }
        if httpPairs.count > 1 {
            throw refuse(httpPairs[1].key, "http: appears more than once (first at line \(httpPair.key.start.line))",
                         "keep one http: block; reconcile will not guess which one Home Assistant uses")
        }
        let http = httpPair.value
        let anchors = YAMLAnchorIndex(document)
        let manual = "add \(suggestion) to it yourself"
        if case .alias(let name) = http.kind {
            throw refuse(http, "http: is an alias (*\(name)); editing it would change the anchored block too",
                         "write the http settings under http: directly, or add \(suggestion) to the block anchored as &\(name) yourself")
        }
        if let tag = http.tag {
            let source = tag.hasPrefix("!include") ? "\(tag) \(http.scalarValue ?? "")" : tag
            throw refuse(http, "http: comes from \(source); reconcile edits only configuration.yaml itself",
                         tag.hasPrefix("!include") ? "\(manual) in that file, or move the http settings into configuration.yaml"
                                                   : "write the http settings in configuration.yaml, then run reconcile again")
        }
        if let anchor = http.anchor, anchors.isAliased(anchor) {
            throw refuse(http, "http: is anchored as &\(anchor) and used elsewhere; editing it would change those places too",
                         "\(manual), or stop reusing the http block")
        }
        switch http.kind {
        case .scalar(let value, .plain) where ["", "~", "null", "Null", "NULL"].contains(value):
            return ConfigurationHTTPBlock(document: document, root: root, placement: .empty(key: httpPair.key, value: http),
                                          flagPair: nil, proxiesPair: nil, proxyItems: [],
                                          snapshot: TrustSnapshot(flag: .absent, hasProxiesKey: false, proxies: []))
        case .mapping(_, flow: true):
            throw refuse(http, "http: is a flow mapping ({ … }); reconcile edits only block mappings (one key per line)",
                         "rewrite http: as one key per line, or \(manual)")
        case .mapping(let pairs, flow: false):
            if YAMLAnchorIndex.containsMergeKey(http) {
                throw refuse(http, "http: uses a merge key (<<:), so its values come from elsewhere",
                             "\(manual), or write the http settings without <<:")
            }
            return try readMapping(document: document, root: root, key: httpPair.key, http: http, pairs: pairs,
                                   anchors: anchors, refuse: refuse)
        default:
            throw refuse(http, "http: is \(http.kindDescription), but Home Assistant expects a mapping of settings",
                         "fix the http: block, then run reconcile again")
        }
    }

    private static func readMapping(document: YAMLDocument, root: YAMLNode, key: YAMLNode, http: YAMLNode, pairs: [YAMLPair],
                                     anchors: YAMLAnchorIndex, refuse: (YAMLNode, String, String) -> Diagnostic) throws(Diagnostic) -> ConfigurationHTTPBlock {
        var found: [String: YAMLPair] = [:]
        for pair in pairs {
            guard let name = pair.key.scalarValue, name == flagKey || name == proxiesKey else { continue }
            if found[name] != nil {
                throw refuse(pair.key, "\(name) appears more than once in http:", "keep one \(name) line")
            }
            if case .alias(let anchor) = pair.value.kind {
                throw refuse(pair.value, "\(name) is an alias (*\(anchor))", "write its value under \(name) directly")
            }
            if let tag = pair.value.tag {
                // Never print the value: it may name a secret.
                throw refuse(pair.value, "\(name) comes from \(tag); reconcile cannot see or change that value",
                             "write \(name) in configuration.yaml itself so reconcile can keep it right")
            }
            if let anchor = anchors.sharedAnchors(inside: pair.value).first {
                throw refuse(pair.value, "\(name) is anchored as &\(anchor) and used elsewhere; editing it would change those places too",
                             "stop reusing \(name) elsewhere, then run reconcile again")
            }
            found[name] = pair
        }
        let flag = try flagState(found[flagKey], refuse: refuse)
        var items: [YAMLNode] = []
        if let value = found[proxiesKey]?.value {
            switch value.kind {
            case .sequence(let list, _):
                for item in list {
                    if case .mapping = item.kind { throw refuse(item, "a trusted_proxies entry is a mapping", "write one address or network per entry") }
                    if case .sequence = item.kind { throw refuse(item, "a trusted_proxies entry is a list", "write one address or network per entry") }
                }
                items = list
            case .scalar(let text, .plain) where ["", "~", "null", "Null", "NULL"].contains(text):
                items = []
            case .scalar:
                items = [value]
            case .mapping, .alias:
                throw refuse(value, "trusted_proxies is \(value.kindDescription), but Home Assistant expects a list",
                             "write trusted_proxies as a list of addresses and networks")
            }
        }
        let proxies: [IPNetwork?] = items.map { item in
            guard item.tag == nil, let text = item.scalarValue else { return nil }
            return try? IPNetwork.parse(text).get()
        }
        return ConfigurationHTTPBlock(document: document, root: root, placement: .mapping(key: key, value: http),
                                      flagPair: found[flagKey], proxiesPair: found[proxiesKey], proxyItems: items,
                                      snapshot: TrustSnapshot(flag: flag, hasProxiesKey: found[proxiesKey] != nil, proxies: proxies))
    }

    /// How Home Assistant reads the flag: YAML 1.1 booleans, then `cv.boolean` on strings and numbers.
    private static func flagState(_ pair: YAMLPair?, refuse: (YAMLNode, String, String) -> Diagnostic) throws(Diagnostic) -> TrustSnapshot.Flag {
        guard let value = pair?.value else { return .absent }
        guard case .scalar(let text, let style) = value.kind else {
            throw refuse(value, "use_x_forwarded_for is \(value.kindDescription), not true or false", "write use_x_forwarded_for: true")
        }
        if style == .plain {
            if ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].contains(text) { return .isTrue }
            if let number = Int(text), number != 0 { return .isTrue }
            return .notTrue
        }
        let lowered = text.lowercased().trimmingCharacters(in: [" "])
        return ["1", "true", "yes", "on", "enable"].contains(lowered) ? .isTrue : .notTrue
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
