/// Escaping for text placed in Markdown tables and Mermaid labels: what a user wrote (commit subjects,
/// error messages) must not break the table or inject markup.
enum MarkdownText {
    /// One table cell: no pipes, no line breaks, no HTML.
    static func cell(_ text: String) -> String {
        escape(text, ["|": "\\|", "<": "&lt;", ">": "&gt;"])
    }

    /// Inline code; the fence grows past any backticks inside, as CommonMark allows.
    static func code(_ text: String) -> String {
        let fence = String(repeating: "`", count: longestRun(of: "`", in: text) + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        // Code spans show HTML literally; only pipes (table cells) and line breaks need care.
        let flat = padded.replacing("\r\n", with: " ").replacing("\r", with: " ").replacing("\n", with: " ")
        return fence + flat.replacing("|", with: "\\|") + fence
    }

    /// A fenced block that the text cannot close early.
    static func block(_ text: String, language: String = "text") -> String {
        let fence = String(repeating: "`", count: max(3, longestRun(of: "`", in: text) + 1))
        return "\(fence)\(language)\n\(text)\n\(fence)\n"
    }

    /// A Mermaid label inside double quotes.
    static func mermaid(_ text: String) -> String {
        escape(text, ["\"": "#quot;", "<": "#lt;", ">": "#gt;"])
    }

    /// Replaces the characters in `table`, and every line break with a space (a cell or label is one line).
    private static func escape(_ text: String, _ table: [Character: String]) -> String {
        var out = ""
        for character in text {
            if let replacement = table[character] {
                out += replacement
            } else if character == "\n" || character == "\r" || character == "\r\n" {
                out += " "
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func longestRun(of mark: Character, in text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == mark ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
