import FoundationEssentials

/// The plan for machines: stable key order, so two runs on the same tree give the same bytes.
public enum PlanJSONRenderer {
    public static func render(_ plan: Plan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(plan) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
