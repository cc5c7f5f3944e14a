import Controller
import FoundationEssentials
import HTTPTypes
import Hummingbird
import Logging
import StatusPage
import Webhooks

/// The daemon's HTTP surface: the webhook, /healthz, /metrics. Handlers only decide and enqueue;
/// reconciles run on their own thread, so an answer never waits for one.
public enum HTTPRoutes {
    public static func router(webhookPath: String, gate: WebhookGate?, scheduler: ReconcileScheduler,
                              metrics: DaemonMetrics, health: HealthState,
                              page: (state: StatusPageState, access: StatusPageState.Access)? = nil,
                              logger: Logger) -> Router<DaemonRequestContext> {
        // HEAD answers as GET without the body.
        let router = Router(context: DaemonRequestContext.self, options: .autoGenerateHeadEndpoints)
        if let page {
            // The owner's page: read-only, no script, nothing loaded from elsewhere (see the CSP).
            router.get("/") { request, context in
                if let refused = refusal(request, context, allowProxied: page.access == .proxied,
                                         proxyHint: " (serve.status_page: proxied allows a proxy)") {
                    return refused
                }
                var answer = response(.ok, contentType: "text/html; charset=utf-8", page.state.html)
                answer.headers[.contentSecurityPolicy] = StatusPageHTML.contentSecurityPolicy
                answer.headers[.cacheControl] = "no-store"
                answer.headers[.xContentTypeOptions] = "nosniff"
                answer.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
                return answer
            }
        }
        router.get("/healthz") { request, context in
            if let refused = refusal(request, context) { return refused }
            let running = await scheduler.isRunning
            return response(.ok, contentType: "application/json", health.json(running: running))
        }
        router.get("/metrics") { request, context in
            if let refused = refusal(request, context) { return refused }
            return response(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", metrics.text())
        }
        router.post(RouterPath(webhookPath)) { request, _ in
            guard let gate else {
                return response(.notFound, contentType: "text/plain", Array("no webhook secret is configured\n".utf8))
            }
            let headers = request.headers.map { (name: $0.name.rawName, value: $0.value) }
            let verdict: WebhookVerdict
            if let body = try await collect(request.body, limit: gate.maxBodyBytes) {
                verdict = gate.verify(headers: headers, body: body)
            } else {
                verdict = .tooLarge(limit: gate.maxBodyBytes)
            }
            metrics.webhook(verdict)
            if case .accepted = verdict { await scheduler.trigger(.webhook) }
            var metadata: Logger.Metadata = ["result": .string(verdict.label), "status": .stringConvertible(verdict.httpStatus)]
            if let delivery = verdict.delivery {
                metadata["forge"] = .string(delivery.forge.rawValue)
                if let id = delivery.id { metadata["delivery"] = .string(id) }
                if let ref = delivery.ref { metadata["ref"] = .string(ref) }
            }
            logger.info("webhook \(verdict.message)", metadata: metadata)
            let status = HTTPResponse.Status(code: verdict.httpStatus)
            return response(status, contentType: "text/plain", Array((verdict.message + "\n").utf8))
        }
        return router
    }

    /// 403 for a client the gateway's own pages do not answer (`LocalClients`), nil for one they do.
    /// `proxyHint` follows a refusal for the proxy only.
    static func refusal(_ request: Request, _ context: DaemonRequestContext, allowProxied: Bool = false, proxyHint: String = "") -> Response? {
        let proxied = StatusPageState.isProxied(request.headers.map(\.name.canonicalName))
        guard let reason = LocalClients.refusal(peer: context.peer, proxied: proxied, allowProxied: allowProxied) else { return nil }
        let hint = context.peer.map(LocalClients.isLocal) == true ? proxyHint : ""
        return response(.forbidden, contentType: "text/plain", Array("\(reason)\(hint)\n".utf8))
    }

    /// The body, or nil as soon as it passes `limit` (the rest is never buffered).
    static func collect(_ body: RequestBody, limit: Int) async throws -> [UInt8]? {
        var bytes: [UInt8] = []
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else { return nil }
            bytes += buffer.readableBytesView
        }
        return bytes
    }

    static func response(_ status: HTTPResponse.Status, contentType: String, _ body: [UInt8]) -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
