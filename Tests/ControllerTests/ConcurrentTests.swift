import Dispatch
import XCTest
@testable import Controller

final class ConcurrentTests: XCTestCase {
    /// `Concurrent` works beside its caller: here the work waits for the caller, which it would wait for in
    /// vain (10 s, then -1) if it ran on the caller's thread.
    func testConcurrentRunsBesideItsCaller() {
        let started = DispatchSemaphore(value: 0)
        let work = Concurrent { () -> Int in
            started.wait(timeout: .now() + 10) == .success ? 42 : -1  // inline, it would wait for itself
        }
        started.signal()
        XCTAssertEqual(work.value, 42)
        XCTAssertEqual(work.value, 42, "a second read gives the same value")
    }
}
