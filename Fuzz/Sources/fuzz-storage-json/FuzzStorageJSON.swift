import FuzzSupport
import HomeAssistant

// Properties of the `.storage/http` reader and editor on any input:
// 1. a refused file gets an error naming it, with a position when the JSON itself is broken;
// 2. an edit keeps the file parseable and is idempotent: planning again on what we wrote changes nothing;
// 3. pruning what was just added is idempotent, and gives back the original bytes when the file had
//    no trusted_proxies of its own.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStorageJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let input = HomeAssistantInput(configurationYAML: Array("homeassistant:\n".utf8), storageHTTP: bytes)
    let edit: HomeAssistantEdit
    do {
        edit = try HomeAssistantPlanner.plan(input, desired: ProxyTrustPolicy(), ledger: .empty)
    } catch {
        require(error.file == ".storage/http" || error.file == "configuration.yaml" || error.file.hasPrefix("desired state"),
                "error names an unexpected file: \(error)")
        return 0
    }
    guard edit.mode == .storage, let written = edit.newStorageHTTP else { return 0 }
    let again: HomeAssistantEdit
    do {
        again = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: input.configurationYAML, storageHTTP: written),
                                              desired: ProxyTrustPolicy(), ledger: edit.ledger)
    } catch {
        fatalError("what we wrote is refused (\(error)): \(show(written))")
    }
    require(again.newStorageHTTP == nil && again.changes.isEmpty, "not idempotent: \(again.changes) on \(show(written))")
    let pruned: HomeAssistantEdit
    do {
        pruned = try HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: input.configurationYAML, storageHTTP: written),
                                               desired: nil, ledger: edit.ledger)
    } catch {
        fatalError("prune of what we wrote is refused (\(error)): \(show(written))")
    }
    let after = pruned.newStorageHTTP ?? written
    // A trusted_proxies key the user wrote keeps the use_x_forwarded_for we set (Home Assistant needs both):
    // the documented exception to "prune gives the file back".
    if !bytes.contains(subsequence: Array("trusted_proxies".utf8)) {
        require(after == bytes, "prune does not give the file back: \(show(bytes)) -> \(show(after))")
    }
    guard let settled = try? HomeAssistantPlanner.plan(HomeAssistantInput(configurationYAML: input.configurationYAML, storageHTTP: after),
                                                       desired: nil, ledger: pruned.ledger) else {
        fatalError("what prune wrote is refused: \(show(after))")
    }
    require(settled.newStorageHTTP == nil, "prune is not idempotent on \(show(after))")
    return 0
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, count >= needle.count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { self[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
