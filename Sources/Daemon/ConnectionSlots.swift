import NIOCore
import NIOHTTPTypes
import Synchronization

/// Bounds the connections the daemon holds. At the bound, a new connection closes the oldest one that is
/// not being answered (idle, or still sending its request): a flood of idle or half-sent connections then
/// costs its sender its oldest ones, and `/healthz` or a webhook still gets in at once. When every held
/// connection is being answered, the new one is closed instead.
final class ConnectionSlots: Sendable {
    let capacity: Int
    private struct Held {
        var channel: any Channel
        var order: UInt64
        var answering: Bool
    }
    private let held = Mutex<(connections: [ObjectIdentifier: Held], next: UInt64)>(([:], 0))

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Holds `channel`; returns the connection to close to stay within the bound (possibly `channel` itself).
    func open(_ channel: any Channel) -> (any Channel)? {
        held.withLock { state in
            state.connections[ObjectIdentifier(channel)] = Held(channel: channel, order: state.next, answering: false)
            state.next += 1
            guard state.connections.count > capacity else { return nil }
            let victim = state.connections.filter { !$0.value.answering && $0.key != ObjectIdentifier(channel) }
                .min { $0.value.order < $1.value.order }
            let key = victim?.key ?? ObjectIdentifier(channel)
            return state.connections.removeValue(forKey: key)?.channel
        }
    }

    func answering(_ channel: any Channel, _ value: Bool) {
        held.withLock { $0.connections[ObjectIdentifier(channel)]?.answering = value }
    }

    func closed(_ channel: any Channel) {
        _ = held.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// One connection's place in `ConnectionSlots`: taken when it opens, marked while a whole request is being
/// answered (from its end to the end of the response), given back when it closes.
final class ConnectionSlotHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let slots: ConnectionSlots
    private var holding = false

    init(slots: ConnectionSlots) { self.slots = slots }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { take(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        take(context)
        context.fireChannelActive()
    }

    private func take(_ context: ChannelHandlerContext) {
        guard !holding else { return }
        holding = true
        slots.open(context.channel)?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { slots.answering(context.channel, true) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { slots.answering(context.channel, false) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        slots.closed(context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        slots.closed(context.channel)
    }
}
