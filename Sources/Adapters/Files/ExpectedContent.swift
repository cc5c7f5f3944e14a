/// What a file must hold right before it is replaced: the bytes the plan was made from. Anything else
/// means someone wrote it meanwhile, and their bytes win.
public enum ExpectedContent: Sendable, Hashable {
    /// Replace whatever is there (reconcile's own files in its state dir).
    case anything
    /// The file must not exist: it is created, never put over one that appeared meanwhile.
    case absent
    case bytes([UInt8])

    /// `old` as a plan records it: nil is a file that did not exist.
    public init(_ old: [UInt8]?) { self = old.map { .bytes($0) } ?? .absent }
}
