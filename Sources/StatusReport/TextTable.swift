/// Columns for a terminal: each cell padded to its column's widest, two spaces apart, the last unpadded.
/// Every cell is printed as text (`TerminalText`): what others wrote never reaches the terminal as commands.
enum TextTable {
    static func render(_ rows: [[String]], indent: String = "") -> String {
        let rows = rows.map { $0.map { TerminalText.escaped($0) } }
        guard let first = rows.first else { return "" }
        let widths = (0..<first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
            // An empty last cell leaves no trailing spaces.
            var line = indent + cells.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
