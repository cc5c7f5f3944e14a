import FuzzSupport
import YAMLEdit

// Properties of the YAML layer on any input:
// 1. a rejected input gets an error naming the file, with a position (unless refused by a size bound);
// 2. an accepted input's scalar marks slice to each scalar's source text;
// 3. replacing one value scalar changes only its span, and the result reads back as intended.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let document: YAMLDocument
    do {
        document = try YAMLDocument.parse(bytes, file: "fuzz.yaml")
    } catch {
        require(error.file == "fuzz.yaml", "error names another file: \(error)")
        require(error.position != nil || bytes.count > YAMLLimits.default.maxBytes, "error without a position: \(error) for \(show(bytes))")
        return 0
    }
    let marks = YAMLSpanCheck.problems(document)
    require(marks.isEmpty, "wrong marks: \(marks.prefix(3)) in \(show(bytes))")
    let edits = YAMLSpanCheck.replacementProblems(document, limit: 4)
    require(edits.isEmpty, "edit broke the file: \(edits.prefix(3)) in \(show(bytes))")
    return 0
}
