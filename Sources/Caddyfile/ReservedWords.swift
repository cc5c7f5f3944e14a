/// Words Caddy reads as its own at the start of a line inside a block. A value that the desired state
/// puts at the start of a line (a header name, a basic-auth user) must be none of them, in any case:
/// HTTP names are case-insensitive, so refusing every spelling costs nothing.
public enum CaddyReservedWords {
    /// Caddy's parser reads `import` at the start of any line, in any block: it splices in a file or snippet.
    public static let anyBlock = ["import"]
    /// The `header` directive's block: `defer` and `match` are its subdirectives (Caddy 2.7+).
    public static let headerBlock = anyBlock + ["defer", "match"]
    public static let basicAuthBlock = anyBlock

    /// The reserved word that `word` is, ignoring case.
    public static func reserved(_ word: String, in words: [String]) -> String? {
        let lowered = word.lowercased()
        return words.first { $0 == lowered }
    }
}
