/// FNV-1a, 64 bits: a short, stable fingerprint of text we wrote, to tell our own output from a hand edit.
/// Not a security measure: it only has to notice accidental change.
public enum Checksum {
    @inlinable
    public static func fnv1a64<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    @inlinable
    public static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let value = fnv1a64(bytes)
        // Sixteen lower-case digits, zero-padded, written in place: one per managed block, read and written.
        return String(unsafeUninitializedCapacity: 16) { digits in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * i)) & 0x0F
                digits[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}
