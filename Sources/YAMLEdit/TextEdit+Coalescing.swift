extension TextEdit {
    /// Merge insertions at the same offset into one, in the order given, so text inserted at one place
    /// comes out in the order the caller produced it (`apply` sorts, and sorting does not promise stability).
    public static func coalescingInsertions(_ edits: [TextEdit]) -> [TextEdit] {
        var result: [TextEdit] = []
        var insertionIndex: [Int: Int] = [:]
        for edit in edits {
            if edit.range.isEmpty, let index = insertionIndex[edit.range.lowerBound] {
                result[index].replacement += edit.replacement
            } else {
                if edit.range.isEmpty { insertionIndex[edit.range.lowerBound] = result.count }
                result.append(edit)
            }
        }
        return result
    }
}
