/// One problem found in an input, with where it is and what the user can do about it.
public struct Diagnostic: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var message: String
    /// What the user can do; printed after the message.
    public var hint: String?
    /// The declared thing the problem is about (a service's name), for machines: the status page marks
    /// that service, without reading the message.
    public var subject: String?

    public init(file: String, position: SourcePosition?, message: String, hint: String? = nil, subject: String? = nil) {
        self.file = file
        self.position = position
        self.message = message
        self.hint = hint
        self.subject = subject
    }

    /// `file:line:column: message (hint)`, the form editors and compilers use.
    public var description: String {
        var text = file
        if let position { text += ":\(position.line):\(position.column)" }
        text += ": \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// Every problem of one input at once, so a user fixes them in one pass.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.file, $0.position ?? SourcePosition(line: 0, column: 0)) < ($1.file, $1.position ?? SourcePosition(line: 0, column: 0)) }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
