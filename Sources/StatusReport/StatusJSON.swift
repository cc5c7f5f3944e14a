import FoundationEssentials

/// `status.json`: the report for machines. Keys sorted and indented, so the same report always gives the
/// same bytes and a diff on the status branch shows only what changed.
public enum StatusJSON {
    public static func render(_ report: StatusReport) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number, bool, array or nested value of those: encoding cannot fail.
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }

    public static func decode(_ bytes: [UInt8]) throws -> StatusReport {
        try JSONDecoder().decode(StatusReport.self, from: Data(bytes))
    }
}
