import Caddyfile
import DesiredState
import FuzzSupport

// Properties of the desired-state parser on any input:
// 1. every problem names the file and has a position (a file over the size bound excepted);
// 2. what it accepts is within its bounds, and becomes Caddy site blocks that read back as exactly the
//    declared host and upstream: no value can inject a directive, a block or a second site;
// 3. no header name or basic-auth user it accepts is a Caddy keyword (issue #23: `import` read a file).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDesiredState(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let limits = DesiredStateLimits.default
    let state: DesiredState
    do {
        state = try DesiredStateParser.parse(bytes, file: "exposure.yaml")
    } catch {
        require(!error.diagnostics.isEmpty, "an error with no diagnostic")
        for problem in error.diagnostics {
            require(problem.file == "exposure.yaml", "problem names another file: \(problem)")
            require(problem.position != nil || bytes.count > limits.maxFileBytes, "problem without a position: \(problem) for \(show(bytes))")
        }
        return 0
    }
    require(state.services.count <= limits.maxServices, "\(state.services.count) services accepted")
    // 3. no accepted header name or basic-auth user is a word Caddy reads as its own at the start of a line.
    for service in state.services {
        for header in service.exposure.headers {
            require(CaddyReservedWords.reserved(header.name, in: CaddyReservedWords.headerBlock) == nil
                        && !"+-?>".contains(header.name.first ?? " "), "header name '\(header.name)' accepted")
        }
        for user in service.exposure.basicAuth {
            require(CaddyReservedWords.reserved(user.user, in: CaddyReservedWords.basicAuthBlock) == nil, "basic_auth user '\(user.user)' accepted")
        }
    }
    let sites = state.services.map { service in
        ManagedSite(name: service.name, addresses: [service.fqdn],
                    directives: [CaddyDirective(["reverse_proxy", service.upstream.description])])
    }
    guard let document = try? CaddyfileDocument.parse([], file: "Caddyfile"),
          let edit = try? CaddyfileEditor.apply(document, desired: sites) else { return 0 }
    let written: CaddyfileDocument
    do { written = try CaddyfileDocument.parse(edit.newBytes, file: "Caddyfile") } catch {
        fatalError("declared services rendered to a Caddyfile that does not parse (\(error)): \(show(edit.newBytes))")
    }
    require(written.blocks.count == sites.count, "\(sites.count) services became \(written.blocks.count) blocks: \(show(edit.newBytes))")
    require(written.managedBlocks.map(\.name) == sites.map(\.name), "managed blocks \(written.managedBlocks.map(\.name))")
    for (block, site) in zip(written.managedBlocks, sites) {
        require(block.addresses == site.addresses && block.directives == site.directives,
                "\(site) read back as \(block.addresses) \(block.directives)")
    }
    return 0
}
