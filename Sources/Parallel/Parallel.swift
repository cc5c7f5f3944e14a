import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// No Foundation here: the core modules import this one, and Foundation's String methods would then
// take the place of the standard library's in them (`contains(",")` through CFStringFind).

/// Pure work spread over the machine's cores, the results in input order: the same answer as `map`, sooner
/// on a large input (a 1,000-service plan reads, checks and renders each service on its own; issue #15).
public enum Parallel {
    /// The cores this process may use: all online ones, or `RECONCILE_CORES` (1: everything inline, as the
    /// fixed-input fuzz runs need: libFuzzer's coverage counters are not thread-safe, and racing increments
    /// would make a run's corpus differ from machine to machine).
    static let cores: Int = {
        if let value = getenv("RECONCILE_CORES"), let count = Int(String(cString: value)), count >= 1 { return count }
        return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }()

    /// `transform` of each element, in order. Chunks of at least `minimumChunk` elements, one per core at
    /// most; an input too small for two runs inline, on the caller's thread.
    /// `concurrentPerform` runs chunks on the caller's thread too, so it never waits for a free thread.
    public static func map<Element: Sendable, Mapped: Sendable>(_ elements: [Element], minimumChunk: Int = 128,
                                                                _ transform: @Sendable (Element) -> Mapped) -> [Mapped] {
        let chunks = min(cores, elements.count / max(1, minimumChunk))
        guard chunks > 1 else { return elements.map(transform) }
        return [Mapped](unsafeUninitializedCapacity: elements.count) { output, initialized in
            let slots = Slots(base: output.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for i in bounds(of: chunk, of: chunks, count: elements.count) {
                    (slots.base + i).initialize(to: transform(elements[i]))
                }
            }
            initialized = elements.count
        }
    }

    /// The output's memory, shared by the chunks: each initializes only its own indices.
    private struct Slots<Mapped>: @unchecked Sendable {
        let base: UnsafeMutablePointer<Mapped>
    }

    /// The `chunk`th of `chunks` nearly equal parts of `0..<count`.
    static func bounds(of chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
        (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
    }
}
