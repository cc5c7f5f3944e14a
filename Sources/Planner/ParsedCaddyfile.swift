import Caddyfile
import Diagnostics

/// The live Caddyfile together with its parse, made once as the file is observed: the observer parses it on
/// a thread of its own while the desired state is parsed (the two largest parts of a plan; issue #15).
public struct ParsedCaddyfile: Sendable {
    public let file: LiveFile
    let document: Result<CaddyfileDocument, Diagnostic>

    public init(_ file: LiveFile) {
        self.file = file
        document = Result { () throws(Diagnostic) in try CaddyfileDocument.parse(file.bytes ?? [], file: file.path) }
    }
}

extension PlanInputs {
    /// The parse the planner uses: the observer's when it is of these very bytes (`caddyfile` may have been
    /// replaced since), else one made now. Arrays that share storage compare equal at once.
    var caddyfileParse: ParsedCaddyfile {
        if let parsedCaddyfile, parsedCaddyfile.file == caddyfile { return parsedCaddyfile }
        return ParsedCaddyfile(caddyfile)
    }
}
