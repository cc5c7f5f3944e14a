import EssentialsExtras

/// When the timer fires next: every `interval`, plus a random part of `jitter`, so gateways that booted
/// together (a power cut) do not all fetch from the forge in the same second.
public struct TimerSchedule: Sendable, Hashable {
    public var interval: Duration
    public var jitter: Duration

    /// 5 minutes and 30 s of jitter: the cadence of Flux and Argo CD's default polling.
    public static let standard = TimerSchedule(interval: .seconds(300), jitter: .seconds(30))

    public init(interval: Duration, jitter: Duration) {
        self.interval = interval
        self.jitter = jitter
    }

    /// The next delay, `interval + random(0...jitter)`.
    public func nextDelay<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        guard jitter > .zero else { return interval }
        let range = jitter.components.seconds * 1_000_000 + jitter.components.attoseconds / 1_000_000_000_000
        return interval + .microseconds(Int64.random(in: 0...range, using: &generator))
    }

    public func nextDelay() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }
}
