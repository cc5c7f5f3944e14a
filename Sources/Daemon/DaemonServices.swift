import Logging
import ServiceLifecycle

/// Set once the HTTP server listens: nothing is reconciled by a daemon that could not bind its port.
actor ServerReady {
    private(set) var isReady = false

    func ready() { isReady = true }

    /// Returns once ready; throws when cancelled (the server failed, or shutdown began).
    func wait() async throws {
        while !isReady { try await Task.sleep(for: .milliseconds(5)) }
    }
}

/// Fires the timer: one reconcile once the server listens, then one per `TimerSchedule` delay, until shutdown.
struct TimerService: Service {
    let schedule: TimerSchedule
    let scheduler: ReconcileScheduler
    let ready: ServerReady

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await ready.wait() }
        } catch {
            return
        }
        guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
        await scheduler.trigger(.startup)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sleepUntilShutdown(schedule.nextDelay())
            } catch {
                return
            }
            await scheduler.trigger(.timer)
        }
    }

    /// Sleeps, but wakes up (with an error) as soon as shutdown starts.
    private func sleepUntilShutdown(_ delay: Duration) async throws {
        try await cancelWhenGracefulShutdown {
            try await Task.sleep(for: delay)
        }
    }
}

/// Holds the process open while a reconcile runs: on SIGTERM/SIGINT it stops new triggers and returns
/// only once the running reconcile has finished, so the daemon exits between two cycles, never inside one.
struct ReconcileDrainService: Service {
    let scheduler: ReconcileScheduler
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        if await scheduler.isRunning { logger.info("shutting down: waiting for the running reconcile to finish") }
        await scheduler.drain()
        logger.info("shut down cleanly")
    }
}
