import Foundation
import Logging

/// One JSON object per line on standard error (`--log-format json`), for journald or a log shipper:
/// time, level, message, and the metadata as string fields.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { object[key] = "\(value)" }
        if let error = event.error { object["error"] = "\(error)" }
        object["time"] = HealthState.timestamp(Date())
        object["level"] = event.level.rawValue
        object["message"] = event.message.description
        object["logger"] = label
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        FileHandle.standardError.write(data)
    }
}
