// swift-tools-version:5.4
// 5.4 on purpose: from 5.5 on, SwiftPM renames an executable's `main` to `<module>_main` for testable
// executables and links `main` to it; a fuzz target has no `main` (libFuzzer's is used), so that link fails.
import PackageDescription

// libFuzzer targets for the pure core. A separate package because a fuzz target has no `main`
// (libFuzzer provides it), so the root package's plain `swift build` must never see one.
// scripts/fuzz.sh builds them with `-sanitize=fuzzer,address` into .build-fuzz/ and runs each.
//
// Adding a target: Sources/fuzz-NAME/FuzzNAME.swift defining `LLVMFuzzerTestOneInput`, plus its name
// below (the module it fuzzes must be in the root's `ReconcileCore` product). Seeds: Corpus/fuzz-NAME/.
let fuzzTargets = [
    "fuzz-caddyfile",
    "fuzz-yaml",
    "fuzz-desired-state",
    "fuzz-storage-json",
    "fuzz-webhook",
]

let package = Package(
    name: "reconcile-fuzz",
    products: fuzzTargets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(name: "reconcile", path: ".."),
        // fuzz-webhook signs bodies itself, to check what the verifier lets through.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [.target(name: "FuzzSupport")] + fuzzTargets.map {
        .executableTarget(name: $0, dependencies: ["FuzzSupport", .product(name: "ReconcileCore", package: "reconcile")]
                          + ($0 == "fuzz-webhook" ? [.product(name: "Crypto", package: "swift-crypto")] : []))
    }
)
