import XCTest
import TestSupport
@testable import Adapters

final class FilesTests: XCTestCase {
    func testAtomicWriteReplacesContentAndKeepsMode() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("Caddyfile", "old\n", mode: 0o640)
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        try AtomicFileWriter.write(Array("new\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
        XCTAssertEqual(mode(of: path), 0o640)
        let inodeAfter = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber
        XCTAssertNotEqual(inodeBefore, inodeAfter, "an atomic write renames a new file into place")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("reconcile-") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    func testAtomicWriteIntoAMissingDirectoryFailsAndLeavesNothing() {
        let dir = TemporaryDirectory()
        XCTAssertThrowsError(try AtomicFileWriter.write([1, 2], to: dir.path + "/missing/file")) { error in
            XCTAssertTrue("\(error)".contains("missing/file"), "\(error)")
        }
    }

    func testReaderTreatsMissingAsNilAndBoundsSize() throws {
        let dir = TemporaryDirectory()
        XCTAssertNil(try LiveFileReader.read(dir.path + "/nope"))
        let path = dir.file("big", String(repeating: "x", count: 100))
        XCTAssertThrowsError(try LiveFileReader.read(path, maxBytes: 10)) { error in
            XCTAssertTrue("\(error)".contains("over the limit"), "\(error)")
        }
        XCTAssertThrowsError(try LiveFileReader.read(dir.path)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        XCTAssertEqual(try LiveFileReader.read(path)?.count, 100)
    }

    func testBackupsKeepTheOriginalModeAndAreBounded() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("secret.json", "{}", mode: 0o600)
        let store = BackupStore(directory: dir.path + "/state/backups", keep: 3)
        var saved: [String] = []
        for i in 0..<5 {
            var time = timespec(tv_sec: 1_800_000_000 + i, tv_nsec: 0)
            saved.append(try store.save(Array("v\(i)".utf8), of: path, now: time))
            time.tv_sec += 1
        }
        let kept = store.backups(of: path)
        XCTAssertEqual(kept, Array(saved.suffix(3)))
        XCTAssertEqual(try String(contentsOfFile: kept.last!, encoding: .utf8), "v4")
        XCTAssertEqual(mode(of: kept.last!), 0o600, "a private file's backup stays private")
    }

    func testLockExcludesASecondHolderUntilReleased() throws {
        let dir = TemporaryDirectory()
        var first: ReconcileLock? = try ReconcileLock(stateDir: dir.path, timeout: 0)
        let started = Date()
        XCTAssertThrowsError(try ReconcileLock(stateDir: dir.path, timeout: 0.3)) { error in
            XCTAssertTrue("\(error)".contains("another reconcile"), "\(error)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.3, "the second one waited before giving up")
        XCTAssertNotNil(first)
        first = nil
        XCTAssertNoThrow(try ReconcileLock(stateDir: dir.path, timeout: 0))
    }
}

func mode(of path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
}
