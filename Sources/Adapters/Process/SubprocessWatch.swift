import FoundationEssentials
import Glibc

/// Follows a started command until its own process exits, reading its output meanwhile (a full pipe
/// would stop it) and signalling its group at the deadline. The end is the pid's exit, never EOF: a
/// daemon the command left behind may hold the pipes for as long as it lives.
struct SubprocessWatch {
    let launch: SubprocessLaunch
    let deadline: ContinuousClock.Instant
    let grace: Duration
    private(set) var stdout: OutputTail
    private(set) var stderr: OutputTail
    private var open = [true, true]
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    /// How long one poll waits: the delay in noticing an exit while a daemon holds the pipes.
    static let tick: Int32 = 10
    /// What is read after the exit, per stream: all a pipe can hold (Linux's default pipe-max-size),
    /// so everything the command wrote; a daemon still writing cannot keep us reading.
    static let drainBytes = 1 << 20

    init(_ launch: SubprocessLaunch, deadline: ContinuousClock.Instant, grace: Duration, kept: Int) {
        self.launch = launch
        self.deadline = deadline
        self.grace = grace
        stdout = OutputTail(limit: kept)
        stderr = OutputTail(limit: kept)
    }

    /// The raw wait status, and whether the deadline ended the command.
    mutating func untilExit() -> (status: Int32, timedOut: Bool) {
        let group = -launch.pid
        var terminated = false, killed = false
        while !hasExited() {
            let now = ContinuousClock.now
            if !terminated, now >= deadline {
                terminated = true
                kill(group, SIGTERM)
            }
            if terminated, !killed, now >= deadline + grace {
                killed = true
                kill(group, SIGKILL)
            }
            readReady()
        }
        // Past the deadline nothing it started may linger. Its zombie, not reaped yet, keeps the group id ours.
        if terminated { kill(group, SIGKILL) }
        for index in 0..<2 { drain(index) }
        return (reap(), terminated)
    }

    /// True once the pid has exited, without reaping it (waitid's WNOWAIT).
    private func hasExited() -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(launch.pid), &info, WEXITED | WNOHANG | WNOWAIT)
        // ECHILD: someone else reaped it; waiting on would be forever.
        return result == 0 ? info.si_signo == SIGCHLD : errno != EINTR
    }

    private func reap() -> Int32 {
        var status: Int32 = 0
        while waitpid(launch.pid, &status, 0) < 0, errno == EINTR {}
        return status
    }

    /// Waits up to a tick for output, and takes one read from each stream that has some.
    private mutating func readReady() {
        var fds = [pollfd(fd: open[0] ? launch.stdout : -1, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: open[1] ? launch.stderr : -1, events: Int16(POLLIN), revents: 0)]
        guard poll(&fds, 2, Self.tick) > 0 else { return }
        for index in 0..<2 where open[index] && fds[index].revents != 0 { _ = readOnce(index) }
    }

    /// Reads what the stream holds now, up to `drainBytes`.
    private mutating func drain(_ index: Int) {
        var total = 0
        while open[index], total < Self.drainBytes {
            let count = readOnce(index)
            guard count > 0 else { return }
            total += count
        }
    }

    /// One read into the stream's tail: the byte count, 0 at EOF (the stream is then closed), -1 when
    /// nothing is there yet.
    private mutating func readOnce(_ index: Int) -> Int {
        let fd = index == 0 ? launch.stdout : launch.stderr
        var count: Int
        repeat {
            count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        if count > 0 {
            if index == 0 { stdout.append(chunk[0..<count]) } else { stderr.append(chunk[0..<count]) }
        } else if count == 0 || errno != EAGAIN {
            open[index] = false
            return 0
        }
        return count
    }
}
