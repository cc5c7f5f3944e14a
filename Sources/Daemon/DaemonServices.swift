import Logging
import ServiceLifecycle

/// Fires the timer: one reconcile at start, then one per `TimerSchedule` delay, until shutdown.
struct TimerService: Service {
    let schedule: TimerSchedule
    let scheduler: ReconcileScheduler

    func run() async throws {
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
