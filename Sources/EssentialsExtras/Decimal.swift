#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Double {
    /// With `places` digits after the point, as C's `%.Nf` (Foundation's `String(format: "%.3f", x)`).
    public func fixed(places: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 350)  // %f of Double.greatestFiniteMagnitude: 309 digits
        let count = withVaList([self]) { vsnprintf(&buffer, buffer.count, "%.\(max(0, min(places, 17)))f", $0) }
        return String(decoding: buffer.prefix(max(0, min(Int(count), buffer.count - 1))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
