/// Byte offset <-> physical line, by binary search over the line starts (built once per file).
struct LineIndex: Sendable {
    /// Offset of the first byte of each line; line N starts at `starts[N - 1]`.
    let starts: [Int]
    let count: Int

    init(_ bytes: [UInt8]) {
        var starts = [0]
        starts.reserveCapacity(bytes.count / 24 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i] == 0x0A { starts.append(i + 1) }
        }
        self.starts = starts
        self.count = bytes.count
    }

    /// The 1-based line holding `offset` (an offset at the end of the file belongs to the last line).
    func line(of offset: Int) -> Int {
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low + 1
    }

    func start(ofLine line: Int) -> Int { starts[line - 1] }

    /// Offset just past the newline ending `line`, or the end of the file.
    func end(ofLine line: Int) -> Int { line < starts.count ? starts[line] : count }
}

/// Counts newlines, for line numbers in bytes we produce.
@inline(__always)
func newlineCount<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
    var count = 0
    for byte in bytes where byte == 0x0A { count += 1 }
    return count
}
