#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials

/// The TCP connections this process opened since a moment: what a stalled git operation is blocked on.
/// libgit2 1.5 keeps its sockets to itself, so they are found in /proc/self/fd by what they are: an
/// internet socket new since the remote was created, neither listening nor accepted by one of our own
/// listeners (the daemon's HTTP server keeps answering).
struct OutgoingSockets: Sendable {
    /// The socket inodes that existed before: never touched.
    private let before: Set<String>

    init() { before = Set(Self.sockets().map(\.inode)) }

    /// Shuts the new outgoing connections down: a read or connect blocked on one returns at once, so
    /// libgit2 fails as from a dropped connection and unwinds normally. Returns how many it shut.
    @discardableResult
    func shutDownNew() -> Int {
        let all = Self.sockets()
        let listeningPorts = Set(all.filter { Self.isListening($0.fd) }.compactMap { Self.localPort($0.fd) })
        var count = 0
        for socket in all where !before.contains(socket.inode) && Self.isInternet(socket.fd) && !Self.isListening(socket.fd) {
            if let port = Self.localPort(socket.fd), listeningPorts.contains(port) { continue }
            // The fd may have been closed and reused since the listing: shut it only if it is still that socket.
            guard Self.link(socket.fd) == socket.inode else { continue }
            if shutdown(socket.fd, Int32(SHUT_RDWR)) == 0 { count += 1 }
        }
        return count
    }

    private static func sockets() -> [(fd: Int32, inode: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return names.compactMap { name in
            guard let fd = Int32(name), let target = link(fd), target.hasPrefix("socket:") else { return nil }
            return (fd, target)
        }
    }

    private static func link(_ fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func option(_ fd: Int32, _ name: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
    }

    private static func isListening(_ fd: Int32) -> Bool { option(fd, SO_ACCEPTCONN) == 1 }

    private static func isInternet(_ fd: Int32) -> Bool {
        guard let domain = option(fd, SO_DOMAIN) else { return false }
        return domain == AF_INET || domain == AF_INET6
    }

    private static func localPort(_ fd: Int32) -> UInt16? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let found = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard found else { return nil }
        switch Int32(address.ss_family) {
        case AF_INET: return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
        case AF_INET6: return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) } }
        default: return nil
        }
    }
}
