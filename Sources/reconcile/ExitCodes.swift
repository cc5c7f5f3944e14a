import ArgumentParser
import Controller

/// 0: live matches desired. 2: changes pending. 1: an error.
enum ReconcileExit {
    static let pending = ExitCode(2)
    static let failure = ExitCode(1)
}

/// Prints a reconcile error the way people read it, and says whether retrying can help.
func report(_ error: ReconcileError) {
    var text = "error: "
    switch error {
    case .invalidInput(let list):
        text += list.diagnostics.count == 1 ? "" : "\(list.diagnostics.count) problems:\n"
        text += list.description
        text += "\nNothing was written."
    case .world(let message):
        text += message + "\nNothing more was written; the next run retries."
    }
    printError(text)
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.write(string, fd: 2)
    }
}
