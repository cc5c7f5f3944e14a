/// Byte comparison whose time depends only on the lengths, never on where the first difference is,
/// so a sender cannot find a signature one byte at a time.
enum ConstantTime {
    static func equal(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
