#if canImport(Glibc)
import Glibc
#endif

/// Crash points for the fault-injection tests: `RECONCILE_FAILPOINT=after-write:caddyfile` makes the
/// process SIGKILL itself right after that step, as a power cut or `kill -9` would. Off unless the
/// variable is set; the names are listed in docs/guarantees.md next to the test that uses them.
/// Compiled into debug builds only (the tests' binary): a release binary ignores the variables.
public enum Failpoint {
    #if DEBUG
    static let armed: String? = getenv("RECONCILE_FAILPOINT").map { String(cString: $0) }

    /// `RECONCILE_FAILPOINT_PAUSE=after-write:caddyfile=2` holds the process there for 2 s: a reconcile caught
    /// mid-write, for the tests that signal the daemon at that moment.
    static let pause: (name: String, seconds: Double)? = getenv("RECONCILE_FAILPOINT_PAUSE").flatMap { value in
        let text = String(cString: value)
        guard let equals = text.lastIndex(of: "="), let seconds = Double(text[text.index(after: equals)...]) else { return nil }
        return (String(text[..<equals]), seconds)
    }

    /// `RECONCILE_FAILPOINT=enospc:NAME`: writing the file named NAME fails as on a full disk (for the
    /// tests, where a small tmpfs cannot be mounted).
    public static func injectsFullDisk(writing path: String) -> Bool {
        guard let armed, armed.hasPrefix("enospc:") else { return false }
        return path.hasSuffix("/" + armed.dropFirst("enospc:".count))
    }

    /// Dies on the spot when `name` is the armed failpoint (or pauses, when it is the paused one).
    public static func hit(_ name: String) {
        if let pause, pause.name == name { usleep(UInt32(pause.seconds * 1_000_000)) }
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
    #else
    public static func injectsFullDisk(writing path: String) -> Bool { false }
    @inline(__always) public static func hit(_ name: String) {}
    #endif
}
