import Diagnostics

/// A thousand services without a login make one warning, not a thousand lines: warnings of the same
/// code about single services are grouped once there are more than `limit`, keeping the count, the
/// first names and the first position (the rest are in the desired state, one `services:` key each).
enum PlanWarningGroups {
    static let limit = 3
    static let namesShown = 5

    static func grouped(_ warnings: [PlanWarning]) -> [PlanWarning] {
        var byCode: [PlanWarning.Code: [PlanWarning]] = [:]
        for warning in warnings where warning.services.count == 1 { byCode[warning.code, default: []].append(warning) }
        var emitted = Set<PlanWarning.Code>()
        var out: [PlanWarning] = []
        for warning in warnings {
            guard warning.services.count == 1, let group = byCode[warning.code], group.count > limit else {
                out.append(warning)
                continue
            }
            guard emitted.insert(warning.code).inserted else { continue }
            out.append(summary(group))
        }
        return out
    }

    static func summary(_ group: [PlanWarning]) -> PlanWarning {
        let names = group.flatMap(\.services)
        let shown = names.prefix(namesShown).map { "'\($0)'" }.joined(separator: ", ")
        let rest = names.count > namesShown ? " and \(names.count - namesShown) more" : ""
        let first = group[0]
        let message = "\(names.count) services \(what(first.code)): \(shown)\(rest)"
            + " (the first is here; each is a key of services: in this file)"
        return PlanWarning(first.code, file: first.diagnostic.file, position: first.diagnostic.position, services: names, message,
                           hint: hint(first.code) ?? first.diagnostic.hint)
    }

    static func what(_ code: PlanWarning.Code) -> String {
        switch code {
        case .openToInternet: return "are open to the whole internet with no access restriction and no login of their own declared"
        case .proxyLoop: return "proxy to Caddy itself: requests would loop until they fail"
        case .upstreamIsAdminAPI: return "proxy to where Caddy's admin API usually listens: whoever reaches them can reconfigure the gateway"
        default: return "have the same warning (\(code.rawValue))"
        }
    }

    static func hint(_ code: PlanWarning.Code) -> String? {
        switch code {
        case .openToInternet: return "add access: lan (or a list of networks) or basic_auth, or declare own_login: true for those that ask for a login themselves"
        case .proxyLoop, .upstreamIsAdminAPI: return "point each at the service's own port"
        default: return nil
        }
    }
}
