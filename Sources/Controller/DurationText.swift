/// "300", "300s", "5m", "1h", "1.5s", "250ms" -> a duration; nil for anything else. The settings file's
/// reader checks `serve.interval` with it, the daemon reads it.
public enum DurationText {
    public static func parse(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = text.drop { $0 == " " || $0 == "\t" }, scale = 1.0
        while number.last == " " || number.last == "\t" { number = number.dropLast() }
        for (suffix, factor) in units where number.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }
}
