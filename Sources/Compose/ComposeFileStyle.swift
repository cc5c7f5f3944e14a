import YAMLEdit

/// How this file is written, read off what the user already wrote, so an inserted `depends_on` looks
/// like the file's own: the form other services use, and the indentation of nested blocks and lists.
struct ComposeFileStyle {
    /// The form of most existing `depends_on` keys (short when none, or a tie: Compose's own default).
    let form: ComposeDependencyForm
    /// Spaces from a key to the keys of its nested block mapping.
    let mappingIndent: Int
    /// Spaces from a key to the dash of its block list (0 for `key:\n- item`).
    let sequenceIndent: Int

    init(_ compose: ComposeFile) {
        let source = compose.source
        var short = 0
        var long = 0
        var sequenceIndent: Int?
        var longIndent: Int?
        var listIndent: Int?
        for service in compose.services {
            guard let definition = service.definition, let pairs = definition.pairs else { continue }
            for pair in pairs where !pair.value.isFlow {
                if pair.key.scalarValue == "depends_on" {
                    if pair.value.items != nil {
                        short += 1
                        sequenceIndent = sequenceIndent ?? YAMLIndentStyle.childIndent(of: pair, in: source)
                    } else if let entries = pair.value.pairs {
                        long += 1
                        longIndent = longIndent ?? entries.lazy.compactMap { YAMLIndentStyle.childIndent(of: $0, in: source) }.first
                    }
                } else if pair.value.items != nil {
                    listIndent = listIndent ?? YAMLIndentStyle.childIndent(of: pair, in: source)
                }
            }
        }
        let servicesPair = YAMLPair(key: compose.servicesKey, value: compose.servicesNode)
        let mappingIndent = [YAMLIndentStyle.childIndent(of: servicesPair, in: source)]
            .compactMap { $0 }.first { $0 > 0 } ?? 2
        form = long > short ? .long : .short
        self.mappingIndent = longIndent.flatMap { $0 > 0 ? $0 : nil } ?? mappingIndent
        self.sequenceIndent = sequenceIndent ?? listIndent ?? mappingIndent
    }
}
