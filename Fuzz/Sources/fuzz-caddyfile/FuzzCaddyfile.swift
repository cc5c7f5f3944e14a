import Caddyfile
import FuzzSupport

// Properties of the Caddyfile engine on any input it accepts:
// 1. re-rendering the parsed file gives back the same bytes;
// 2. adding a managed site leaves every byte outside the managed blocks intact (the edit only appends);
// 3. removing that site again gives back the file as it was before the addition;
// 4. what the editor writes parses again, with every managed block matching its checksum.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaddyfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let document = try? CaddyfileDocument.parse(bytes, file: "Caddyfile") else { return 0 }
    require(document.render() == bytes, "render() is not byte for byte: \(show(bytes))")

    // Keep every managed block as declared (the first of each name), then add one site.
    var seen: Set<String> = []
    let kept = document.managedBlocks.filter { seen.insert($0.name).inserted }
        .map { ManagedSite(name: $0.name, addresses: $0.addresses, directives: $0.directives) }
    let added = ManagedSite(name: "fuzzsite", addresses: ["fuzz.example.invalid"],
                            directives: [CaddyDirective(["reverse_proxy", "127.0.0.1:9"])])
    guard !seen.contains(added.name),
          let base = try? CaddyfileEditor.apply(document, desired: kept).newBytes,
          let baseDocument = try? CaddyfileDocument.parse(base, file: "Caddyfile"),
          let grown = try? CaddyfileEditor.apply(baseDocument, desired: kept + [added]) else { return 0 }

    let grownDocument: CaddyfileDocument
    do { grownDocument = try CaddyfileDocument.parse(grown.newBytes, file: "Caddyfile") } catch {
        fatalError("the editor wrote a Caddyfile it cannot parse (\(error)): \(show(grown.newBytes))")
    }
    require(grownDocument.managedBlocks.map(\.name) == kept.map(\.name) + [added.name],
            "managed blocks after the edit: \(grownDocument.managedBlocks.map(\.name))")
    require(grownDocument.managedBlocks.allSatisfy { !$0.isHandEdited }, "a block we wrote fails its checksum")
    let before = outsideManagedBlocks(baseDocument), after = outsideManagedBlocks(grownDocument)
    require(after.starts(with: before) && after.dropFirst(before.count).allSatisfy { $0 == 0x0A } && after.count - before.count <= 2,
            "bytes outside managed blocks changed: \(show(before)) -> \(show(after))")

    guard let shrunk = try? CaddyfileEditor.apply(grownDocument, desired: kept).newBytes else {
        fatalError("removing the site we just added failed: \(show(grown.newBytes))")
    }
    let expected = base.isEmpty || base.last == 0x0A ? base : base + [0x0A]
    require(shrunk == expected, "add then remove is not the identity: \(show(base)) -> \(show(shrunk))")
    return 0
}

/// The file with every managed block's bytes cut out.
private func outsideManagedBlocks(_ document: CaddyfileDocument) -> [UInt8] {
    var out: [UInt8] = []
    var cursor = 0
    for block in document.managedBlocks {
        out += document.bytes[cursor..<block.byteRange.lowerBound]
        cursor = block.byteRange.upperBound
    }
    return out + document.bytes[cursor...]
}
