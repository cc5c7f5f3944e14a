/// What every fuzz target needs: the input as bytes, and a property check that libFuzzer sees as a crash.

/// The fuzzer's input, copied (Swift code must not keep libFuzzer's buffer).
public func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// A broken property is a crash for libFuzzer, which then saves the input as `crash-…`.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("property violated: \(message())", file: file, line: line) }
}

/// A short printable view of bytes for a failure message.
public func show(_ bytes: [UInt8]) -> String {
    String(reflecting: String(decoding: bytes.prefix(400), as: UTF8.self))
}
