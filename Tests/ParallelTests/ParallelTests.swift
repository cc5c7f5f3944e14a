import Foundation
import XCTest
@testable import Parallel

final class ParallelTests: XCTestCase {
    /// The same answer as `map`, in order, whatever the size and the chunking.
    func testMapEqualsSequentialMapForEverySizeAndChunk() {
        for count in [0, 1, 2, 3, 127, 128, 255, 256, 257, 1_000, 1_001] {
            let input = (0..<count).map { "item-\($0)" }
            for minimumChunk in [1, 2, 128, 10_000] {
                let mapped = Parallel.map(input, minimumChunk: minimumChunk) { $0 + "!" + String($0.count) }
                XCTAssertEqual(mapped, input.map { $0 + "!" + String($0.count) }, "count \(count), minimum chunk \(minimumChunk)")
            }
        }
    }

    /// The chunks cover every index exactly once, in order, and differ in size by at most one.
    func testChunksPartitionTheIndices() {
        for count in [0, 1, 5, 128, 999, 1_000] {
            for chunks in 1...5 {
                let parts = (0..<chunks).map { Parallel.bounds(of: $0, of: chunks, count: count) }
                XCTAssertEqual(parts.flatMap { Array($0) }, Array(0..<count), "count \(count) in \(chunks)")
                let sizes = parts.map(\.count)
                XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1)
            }
        }
    }

    /// A large input is spread over more than one thread (when the machine has more than one core).
    func testLargeInputRunsOnMoreThanOneThread() throws {
        guard Parallel.cores > 1 else { throw XCTSkip("one core here (or RECONCILE_CORES=1): Parallel.map runs inline") }
        let threads = Parallel.map(Array(0..<512), minimumChunk: 128) { _ -> UInt in
            usleep(200) // long enough that one thread cannot take every chunk before another starts
            return UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(bitPattern: UInt(pthread_self()))))
        }
        XCTAssertGreaterThan(Set(threads).count, 1)
    }

    /// A small input runs on the caller's thread, without a thread hop.
    func testSmallInputRunsInline() {
        let caller = pthread_self()
        let threads = Parallel.map(Array(0..<100), minimumChunk: 128) { _ in pthread_equal(pthread_self(), caller) != 0 }
        XCTAssertTrue(threads.allSatisfy { $0 })
    }
}
