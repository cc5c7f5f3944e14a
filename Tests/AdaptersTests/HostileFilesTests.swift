import Foundation
import TestSupport
import XCTest
@testable import Adapters

/// Files a hostile neighbour, a crash or a hurried admin leaves in reconcile's way: an edit made during
/// an apply, a temporary file of an earlier run, named pipes and devices, links planted in the state dir
/// or on the way to a live file.
final class HostileFilesTests: XCTestCase {
    // MARK: An edit made after the plan read the file

    func testAWriteOverAFileEditedSinceThePlanLeavesTheEditAndSaysSo() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("Caddyfile", "planned\n")
        try Data("planned\nhand.example.com {\n}\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AtomicFileWriter.write(Array("new\n".utf8), to: path, expecting: .bytes(Array("planned\n".utf8)))) { error in
            XCTAssertEqual((error as? FileError)?.kind, .changedSinceRead, "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "planned\nhand.example.com {\n}\n", "the edit is kept")
        XCTAssertEqual(try temporaries(in: dir), [])
        // The same bytes as planned: written.
        try Data("planned\n".utf8).write(to: URL(fileURLWithPath: path))
        try AtomicFileWriter.write(Array("new\n".utf8), to: path, expecting: .bytes(Array("planned\n".utf8)))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
    }

    func testACreateWhereAFileAppearedMeanwhileLeavesThatFile() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("docker-compose.yml", "theirs\n")
        XCTAssertThrowsError(try AtomicFileWriter.write(Array("ours\n".utf8), to: path, expecting: .absent)) { error in
            XCTAssertEqual((error as? FileError)?.kind, .changedSinceRead, "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "theirs\n")
        XCTAssertThrowsError(try AtomicFileWriter.remove(path, expecting: .bytes(Array("ours\n".utf8))))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "theirs\n", "a remove spares a file that is not ours either")
        let fresh = dir.sub("new-file")
        try AtomicFileWriter.write(Array("ours\n".utf8), to: fresh, expecting: .absent)
        XCTAssertEqual(try String(contentsOfFile: fresh, encoding: .utf8), "ours\n")
        XCTAssertEqual(try temporaries(in: dir), [])
    }

    func testARestoreThatAlreadyRanIsNotAnError() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("Caddyfile", "old\n")
        // A rollback restores a file twice (Compose's undo, then the write's): the second finds it done.
        try AtomicFileWriter.write(Array("old\n".utf8), to: path, expecting: .bytes(Array("new\n".utf8)))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        try AtomicFileWriter.remove(dir.sub("gone"), expecting: .bytes(Array("new\n".utf8)))
    }

    // MARK: Temporary files

    func testATemporaryFileLeftByAnEarlierRunWithTheSamePidDoesNotBlockTheWrite() throws {
        // In a container reconcile is PID 1 on every run: this is the name a run killed mid-write left.
        let dir = TemporaryDirectory()
        let path = dir.file("Caddyfile", "old\n")
        let leftover = dir.file(".Caddyfile.reconcile-\(getpid())", "half-written")
        try AtomicFileWriter.write(Array("new\n".utf8), to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: leftover), "a fresh leftover may be another writer's: kept")
    }

    func testStaleTemporaryFilesOfOursAreRemovedAndOthersKept() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("Caddyfile", "old\n")
        let stale = dir.file(".Caddyfile.reconcile-1", "left by a power cut")
        let fresh = dir.file(".Caddyfile.reconcile-2", "being written")
        let other = dir.file(".Caddyfile.swp", "an editor's")
        let staleLink = dir.sub(".Caddyfile.reconcile-3")
        try FileManager.default.createSymbolicLink(atPath: staleLink, withDestinationPath: other)
        let hourAgo = Date().addingTimeInterval(-3600)
        for file in [stale, other] { try FileManager.default.setAttributes([.modificationDate: hourAgo], ofItemAtPath: file) }
        var times = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, staleLink, &times, AT_SYMLINK_NOFOLLOW), 0)
        try AtomicFileWriter.write(Array("new\n".utf8), to: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale), "an hour-old temporary of ours is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh), "a fresh one may be in use: kept")
        XCTAssertTrue(FileManager.default.fileExists(atPath: other), "not ours: kept")
        XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: staleLink), "a link is never ours: kept")
    }

    func testATemporaryLeftInABackupFolderIsRemovedOnceStale() throws {
        let dir = TemporaryDirectory()
        let live = dir.file("Caddyfile", "old\n")
        let store = BackupStore(directory: dir.path + "/state/backups")
        let first = try store.save(Array("old\n".utf8), of: live)
        let folder = AtomicFileWriter.parentDirectory(of: first)
        let stale = folder + "/.20260101T000000.000000000Z.bak.reconcile-1f2e3d"
        let fresh = folder + "/.20260101T000001.000000000Z.bak.reconcile-4c5b6a"
        for file in [stale, fresh] { XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data("half".utf8))) }
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: stale)
        try store.save(Array("old\n".utf8), of: live)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh))
        XCTAssertEqual(store.backups(of: live).count, 2)
    }

    // MARK: Pipes and devices

    func testReadingANamedPipeIsRefusedAtOnce() throws {
        let dir = TemporaryDirectory()
        let fifo = dir.sub("Caddyfile")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let result = finishing(within: 3, unblocking: fifo) { () -> Result<[UInt8]?, FileError> in
            do throws(FileError) { return .success(try LiveFileReader.read(fifo)) } catch { return .failure(error) }
        }
        guard let result else { return XCTFail("reading a named pipe hung") }
        guard case .failure(let error) = result else { return XCTFail("a pipe was read: \(result)") }
        XCTAssertEqual(error.kind, .notRegularFile)
        XCTAssertTrue(error.description.contains(fifo) && error.description.contains("named pipe"), error.description)
    }

    // MARK: The state dir

    func testAStateDirOthersMayWriteInIsRefusedWithTheFix() throws {
        let dir = TemporaryDirectory()
        let state = dir.sub("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        XCTAssertEqual(chmod(state, 0o777), 0)
        XCTAssertThrowsError(try ReconcileLock(stateDir: state, timeout: 0)) { error in
            XCTAssertEqual((error as? FileError)?.kind, .unsafeLocation, "\(error)")
            XCTAssertTrue("\(error)".contains("chmod go-w \(state)"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/reconcile.lock"), "nothing made in it")
        XCTAssertEqual(chmod(state, 0o755), 0)
        XCTAssertNoThrow(try ReconcileLock(stateDir: state, timeout: 0))
    }

    func testAStateDirOfAnotherUserIsRefused() throws {
        let dir = TemporaryDirectory()
        let state = dir.sub("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        XCTAssertEqual(chown(state, 4242, 4242), 0, "the tests run as root, as reconcile does on a gateway")
        XCTAssertThrowsError(try ReconcileLock(stateDir: state, timeout: 0)) { error in
            XCTAssertEqual((error as? FileError)?.kind, .unsafeLocation, "\(error)")
            XCTAssertTrue("\(error)".contains("belongs to user 4242"), "\(error)")
        }
    }

    func testALockFilePlantedAsALinkIsNotFollowed() throws {
        let dir = TemporaryDirectory()
        let victim = dir.file("victim", "precious\n")
        let state = dir.sub("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: state + "/reconcile.lock", withDestinationPath: victim)
        XCTAssertThrowsError(try ReconcileLock(stateDir: state, timeout: 0))
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        // A link where no file is: O_CREAT would create the target.
        let nowhere = dir.sub("created-through-the-link")
        try FileManager.default.removeItem(atPath: state + "/reconcile.lock")
        try FileManager.default.createSymbolicLink(atPath: state + "/reconcile.lock", withDestinationPath: nowhere)
        XCTAssertThrowsError(try ReconcileLock(stateDir: state, timeout: 0))
        XCTAssertFalse(FileManager.default.fileExists(atPath: nowhere))
    }

    func testABackupsFolderPlantedAsALinkIsRefused() throws {
        let dir = TemporaryDirectory()
        let elsewhere = dir.sub("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        let state = dir.sub("state")
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: state + "/backups", withDestinationPath: elsewhere)
        let live = dir.file("Caddyfile", "secret\n")
        XCTAssertThrowsError(try LocalFileStore(stateDir: state).backUp(Array("secret\n".utf8), of: live)) { error in
            XCTAssertEqual((error as? FileError)?.kind, .unsafeLocation, "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "no backup went through the link")
    }

    // MARK: Folders on the way to a live file

    func testAFolderOnTheWayThatLinksOutOfTheRootIsRefused() throws {
        let dir = TemporaryDirectory()
        let root = dir.sub("gateway")
        let outside = dir.sub("outside")
        try FileManager.default.createDirectory(atPath: root + "/usr/local", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/local/caddy", withDestinationPath: outside)
        XCTAssertThrowsError(try LivePathGuard.checkInside(root + "/usr/local/caddy/Caddyfile", root: root)) { error in
            XCTAssertTrue("\(error)".contains("outside it"), "\(error)")
        }
        // A missing file under the link: where it would be created counts.
        XCTAssertThrowsError(try LivePathGuard.checkInside(root + "/usr/local/caddy/sub/missing/file", root: root))
        // A link that stays inside the root, and a path not under the root at all, are fine.
        try FileManager.default.createDirectory(atPath: root + "/data/ha", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/usr/local/homeassistant", withDestinationPath: root + "/data/ha")
        XCTAssertNoThrow(try LivePathGuard.checkInside(root + "/usr/local/homeassistant/configuration.yaml", root: root))
        XCTAssertNoThrow(try LivePathGuard.checkInside(outside + "/Caddyfile", root: root))
        XCTAssertNoThrow(try LivePathGuard.checkInside(root + "/usr/local/caddy/Caddyfile", root: "/"))
    }

    func temporaries(in dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".reconcile-") }
    }
}

