#if canImport(Glibc)
import Glibc
#endif
import XCTest
@testable import Adapters

/// At a git deadline only the connections opened since the remote was created are shut: never a
/// listener of ours, a connection it accepted (the daemon keeps answering), or an older connection.
final class OutgoingSocketsTests: XCTestCase {
    func listener() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        XCTAssertTrue(bound && Glibc.listen(fd, 8) == 0)
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    func connection(to port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        XCTAssertTrue(connected)
        return fd
    }

    /// 0: the socket was shut (end of file at once); -1 with EAGAIN: still open, nothing to read.
    func peek(_ fd: Int32) -> (Int, Int32) {
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return (count, errno)
    }

    func testOnlyConnectionsOpenedSinceAreShut() throws {
        let remote = try listener()               // a git server, elsewhere
        let ours = try listener()                 // the daemon's HTTP listener, open before
        let older = connection(to: remote.port)   // a connection from before the remote was created
        // A client elsewhere (its side is opened before, as another process's would not be in our table).
        let client = connection(to: ours.port)
        let sockets = OutgoingSockets()
        let outgoing = connection(to: remote.port)
        let accepted = accept(ours.fd, nil, nil)  // a request the daemon accepts meanwhile
        let served = [remote.fd, ours.fd, older, outgoing, client, accepted]
        defer { served.forEach { close($0) } }
        XCTAssertGreaterThan(accepted, 0)

        XCTAssertEqual(sockets.shutDownNew(), 1, "only the new outgoing connection")
        XCTAssertEqual(peek(outgoing).0, 0, "the new outgoing connection is shut")
        XCTAssertEqual(peek(accepted).0, -1, "a connection our listener accepted stays open")
        XCTAssertEqual(peek(accepted).1, EAGAIN)
        XCTAssertEqual(peek(older).0, -1, "an older connection stays open")
        let next = connection(to: ours.port)
        defer { close(next) }
        XCTAssertGreaterThan(accept(ours.fd, nil, nil), 0, "our listener still accepts")
    }
}
