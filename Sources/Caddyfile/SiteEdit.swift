/// What the editor did to one managed site, for the planner to report.
public struct SiteEdit: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case add, update, remove, unchanged
        /// A hand-written site block replaced by the managed one (the user opted in to adoption).
        case adopt
    }

    public let name: String
    public let kind: Kind
    /// Lines of the block (marker through `}`) in the input; nil for `.add`.
    public let oldLines: ClosedRange<Int>?
    /// Lines of the block in the output; nil for `.remove`.
    public let newLines: ClosedRange<Int>?
    /// The block in the input had been changed by hand (its checksum did not match).
    public let wasHandEdited: Bool
    public let oldAddresses: [String]?
    public let newAddresses: [String]?
    /// What the block said before and after, to show e.g. "upstream X -> Y".
    public let oldDirectives: [CaddyDirective]?
    public let newDirectives: [CaddyDirective]?
}

/// The result of `CaddyfileEditor.apply`.
public struct CaddyfileEdit: Sendable {
    public let newBytes: [UInt8]
    /// Existing managed blocks in file order, then additions in the order they were desired.
    public let edits: [SiteEdit]

    public var hasChanges: Bool { edits.contains { $0.kind != .unchanged } }
}
