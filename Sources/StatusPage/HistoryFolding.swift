/// How the page's history grows: newest first, bounded, and a reconcile that says nothing new (a timer
/// tick on a gateway in sync) folds into the newest line instead of pushing real events out.
public enum HistoryFolding {
    public static func folded(_ entry: HistoryEntry, into history: [HistoryEntry], limit: Int) -> [HistoryEntry] {
        guard let newest = history.first, newest.isRepeated(by: entry) else {
            return Array(([entry] + history).prefix(limit))
        }
        var merged = entry
        merged.repeated = (newest.repeated ?? 1) + 1
        merged.since = newest.since ?? newest.at
        return [merged] + history.dropFirst()
    }
}
