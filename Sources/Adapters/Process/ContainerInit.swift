#if canImport(Glibc)
import Glibc
#endif

/// When reconcile is PID 1 (the container `deploy/Dockerfile` builds), every process orphaned in the
/// container becomes its child: a compose or Caddy command that leaves a background process behind would
/// pile up zombies no one waits for. As PID 1, reconcile forks: the parent stays PID 1, a minimal init
/// (as tini or `docker run --init` would be) that forwards every signal to the child and reaps every
/// orphan; the child runs reconcile as usual, and its exit status is the container's.
public enum ContainerInit {
    /// Returns at once unless this process is PID 1; then returns in the child only.
    public static func superviseIfPID1() {
        guard getpid() == 1 else { return }
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        // Blocked before the fork, so no signal is lost between it and the parent's wait.
        sigprocmask(SIG_BLOCK, &all, &previous)
        let child = fork()
        if child <= 0 {
            // The child (or, if fork failed, reconcile itself, unsupervised as before).
            sigprocmask(SIG_SETMASK, &previous, nil)
            return
        }
        while true {
            var timeout = timespec(tv_sec: 1, tv_nsec: 0)
            let signal = sigtimedwait(&all, nil, &timeout)
            if signal > 0, signal != SIGCHLD { kill(child, signal) }
            while true {
                var status: Int32 = 0
                let pid = waitpid(-1, &status, WNOHANG)
                if pid <= 0 { break }
                if pid == child {
                    let signal = status & 0x7f
                    _exit(signal == 0 ? (status >> 8) & 0xff : 128 + signal)
                }
            }
        }
    }
}
