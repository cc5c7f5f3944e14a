import Diagnostics
import StatusReport
import ArgumentParser
import Controller

/// 0: live matches desired. 2: changes pending. 1: an error. 4: an apply failed and so did its rollback:
/// a person must act (the output says what). 75 (EX_TEMPFAIL): the git remote stopped answering within
/// --git-timeout; a timer or a supervisor retries.
enum ReconcileExit {
    static let pending = ExitCode(2)
    static let failure = ExitCode(1)
    static let rollbackFailed = ExitCode(4)
    static let gitTimeout = ExitCode(75)

    static func code(for error: ReconcileError?) -> ExitCode {
        switch error?.reason {
        case .rollbackFailed?: return rollbackFailed
        case .gitTimeout?: return gitTimeout
        default: return failure
        }
    }
}

/// Prints a reconcile error the way people read it, with its reason, and says whether retrying can help.
func report(_ error: ReconcileError) {
    var text = "error (\(error.reason.rawValue), \(error.isRetryable ? "retryable" : "terminal")): "
    switch error {
    case .invalidInput(let list, _):
        text += list.diagnostics.count == 1 ? "" : "\(list.diagnostics.count) problems:\n"
        text += list.description
        text += "\nNothing was written."
    case .failed(_, let message):
        text += message + (error.isRetryable ? "\nNothing more was written; the next run retries." : "")
    }
    printError(text)
}

/// What reconcile prints quotes text others chose (commit subjects, file names, certificates' issuers,
/// Caddy's words): it reaches the terminal as text, never as escape sequences.
func printError(_ text: String) {
    var standardError = StandardError()
    print(TerminalText.escaped(text, keepingLines: true), to: &standardError)
}

func printOutput(_ text: String, terminator: String = "\n") {
    Swift.print(TerminalText.escaped(text, keepingLines: true), terminator: terminator)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleWriter.write(string, fd: 2)
    }
}
