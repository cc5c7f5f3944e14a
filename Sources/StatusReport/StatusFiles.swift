/// The two files a report becomes, under `status/<gateway>/` on the status branch.
public struct StatusFiles: Sendable, Hashable {
    public static let markdownName = "status.md"
    public static let jsonName = "status.json"

    public var markdown: [UInt8]
    public var json: [UInt8]

    public init(_ report: StatusReport) {
        markdown = Array(StatusMarkdown.render(report).utf8)
        json = StatusJSON.render(report)
    }

    /// `status/<gateway>` on the status branch.
    public static func folder(gateway: String) -> String { "status/\(gateway)" }
}

/// "Changed apart from timestamps": the status branch gets a commit only when a gateway's state changes,
/// not on every check. The report is re-stamped with the time of the published one and rendered: if that
/// reproduces the published files byte for byte, nothing but the time differs. This also catches a change
/// of the renderer or a hand edit of the published files (both then get a commit that restores them).
public enum StatusComparison {
    public static func isUnchanged(_ report: StatusReport, publishedMarkdown: [UInt8]?, publishedJSON: [UInt8]?) -> Bool {
        guard let publishedMarkdown, let publishedJSON, let published = try? StatusJSON.decode(publishedJSON) else { return false }
        var restamped = report
        restamped.checkedAt = published.checkedAt
        let files = StatusFiles(restamped)
        return files.json == publishedJSON && files.markdown == publishedMarkdown
    }
}
