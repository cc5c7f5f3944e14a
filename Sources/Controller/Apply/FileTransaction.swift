import Adapters
import Planner

/// The file half of an apply: back up every file the plan writes, write each atomically, and put the
/// old bytes back on rollback. Ordered and logged so a crash between any two steps is recoverable.
struct FileTransaction {
    let plan: Plan
    let store: BackupStore
    private(set) var written: [TargetPlan] = []
    private(set) var backups: [String] = []

    init(plan: Plan, stateDir: String) {
        self.plan = plan
        self.store = BackupStore(directory: stateDir + "/backups")
    }

    var targets: [TargetPlan] { plan.targets.filter(\.writesFile) }

    /// Every backup is taken before the first write, so a failed backup leaves everything untouched.
    mutating func backUp() throws(FileError) {
        for target in targets {
            if let current = target.currentContent { backups.append(try store.save(current, of: target.path)) }
        }
        Failpoint.hit("after-backup")
    }

    mutating func write(_ target: TargetPlan) throws(FileError) {
        guard let content = target.newContent else { return }
        try AtomicFileWriter.write(content, to: target.path)
        written.append(target)
        Failpoint.hit("after-write:\(target.kind.rawValue)")
    }

    /// Puts back what was there; a file that did not exist is removed again.
    func restore() -> [String] {
        var failures: [String] = []
        for target in written.reversed() {
            do {
                if let old = target.currentContent {
                    try AtomicFileWriter.write(old, to: target.path)
                } else {
                    try AtomicFileWriter.remove(target.path)
                }
            } catch {
                failures.append("\(error.description) (its backup is in \(store.directory))")
            }
        }
        return failures
    }
}
