// swift-tools-version: 6.1
import PackageDescription

// The shape follows ../shared/design/ARCHITECTURE.md:
//   core (no side effects): Diagnostics, Networks, Parallel, YAMLEdit, Caddyfile, HomeAssistant, Compose, DesiredState, Planner
//   adapters (the world):    Adapters (filesystem, git, compose CLI)
//   the loop:                Controller (observe -> plan -> apply)
//   thin CLI:                reconcile
// The archives the release binary takes libgit2 and its libraries from: Debian 12's libgit2 1.5 (mbedTLS, http-parser)
// unless RECONCILE_LIBGIT2_ARCHIVES names others (scripts/release.sh: Debian sid's libgit2 1.9, with OpenSSL and llhttp).
let libgit2Archives = Context.environment["RECONCILE_LIBGIT2_ARCHIVES"].map { $0.split(separator: " ").map(String.init) }
    ?? ["libgit2.a", "libmbedtls.a", "libmbedx509.a", "libmbedcrypto.a", "libhttp_parser.a", "libssh2.a",
        "libcrypto.a", "libpcre2-8.a", "libz.a", "libgssapi_krb5.so.2"]

let package = Package(
    name: "reconcile",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "reconcile", targets: ["reconcile"]),
        .executable(name: "reconcile-bench", targets: ["reconcile-bench"]),
        // The pure core, for the fuzz package in Fuzz/ (it depends on this one by path).
        .library(name: "ReconcileCore", targets: ["Diagnostics", "YAMLEdit", "Caddyfile", "DesiredState", "HomeAssistant", "Compose", "Webhooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // reconcile serve (#8): HTTP server, HMAC, logs, metrics, signals.
        // Without its default traits: FullFoundation links full Foundation (its URL-encoded forms' DateFormatter), and
        // with it FoundationInternationalization and ICU, into the release binary (issue #24); ConfigurationSupport
        // (swift-configuration) is not used here.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Certificates per host (#26): X.509 parsing of what Caddy stores and serves (already in the graph through swift-nio-ssl's users).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    ],
    targets: [
        // C libraries from Debian (libgit2-dev, libyaml-dev).
        // libgit2 is linked by Adapters (below), not by this module: dynamically in debug builds, statically in
        // the release binary.
        .systemLibrary(name: "CGit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),

        // Core: pure, in-memory.
        .target(name: "Diagnostics"),
        // The few APIs of full Foundation we used that FoundationEssentials lacks (trimming, JSON values): the
        // release binary links FoundationEssentials only, not FoundationInternationalization and ICU (issue #24).
        .target(name: "EssentialsExtras"),
        .target(name: "Networks"),
        // Pure work over the cores, results in input order (a large plan's services).
        .target(name: "Parallel"),
        .target(name: "YAMLEdit", dependencies: ["CYAML", "Diagnostics"]),
        .target(name: "Caddyfile", dependencies: ["Diagnostics", "Parallel"]),
        .target(name: "DesiredState", dependencies: ["YAMLEdit", "Caddyfile", "Networks", "Diagnostics", "Parallel"]),
        .target(name: "HomeAssistant", dependencies: ["YAMLEdit", "Networks", "Diagnostics"]),
        .target(name: "Compose", dependencies: ["YAMLEdit", "Diagnostics"]),
        .target(name: "Planner", dependencies: ["DesiredState", "Caddyfile", "Certificates", "HomeAssistant", "Compose", "Diagnostics", "Parallel"]),
        .target(name: "StatusReport", dependencies: ["Diagnostics"]),
        // The owner's status page (#18): a typed model rendered as HTML with an inline SVG map, no I/O.
        .target(name: "StatusPage", dependencies: ["Certificates"]),
        // The gateway's own policy file: rules a commit to the exposure repo cannot lift.
        .target(name: "Policy", dependencies: ["DesiredState", "Compose", "YAMLEdit", "Networks", "Diagnostics"]),
        // Notifications (#27): events from one reconcile's result and the remembered previous ones, their
        // messages and each channel's payload, no I/O (the channels are in Adapters/Notify).
        .target(name: "Notifications", dependencies: ["Diagnostics", "Webhooks"]),

        // Fixtures for benchmarks and scale tests: never linked into reconcile.
        .target(name: "BenchmarkFixtures"),

        // Adapters: files, git, the caddy binary.
        // The release binary takes libgit2 and what it needs from Debian's static archives (libgit2-dev brings
        // them all), except GSSAPI (only libgssapi_krb5.so.2 is there): nothing then loads, relocates and
        // initialises libgit2, mbedTLS, libssh2, OpenSSL's libcrypto, PCRE2, http-parser and zlib as shared
        // libraries, and --gc-sections keeps only what is called (issue #15: idle `serve` on a git checkout
        // 30.0 -> 27.1 MiB VmRSS; `plan` spends 3% less in the dynamic loader). Tests link the shared one.
        // SwiftPM does not see CGit2's module map as an input: objects built before it lost `link "git2"` still
        // ask for libgit2.so (check with `readelf -d .build/release/reconcile`); rm -rf .build/release then.
        // Certificates as Caddy keeps them and serves them: parsed (swift-certificates' X509), assessed per host. Pure.
        .target(name: "Certificates", dependencies: ["EssentialsExtras", .product(name: "X509", package: "swift-certificates")]),

        .target(name: "Adapters", dependencies: ["CGit2", "EssentialsExtras", "Compose", "Certificates", "Diagnostics", "Notifications", .product(name: "Crypto", package: "swift-crypto")], linkerSettings: [
            .linkedLibrary("git2", .when(configuration: .debug)),
            .linkedLibrary("git2", .when(platforms: [.macOS], configuration: .release)),
            .unsafeFlags(libgit2Archives.flatMap { ["-Xlinker", "-l:" + $0] }, .when(platforms: [.linux], configuration: .release)),
        ]),

        // The reconcile loop: observe -> plan -> apply, each step a value or a typed error.
        .target(name: "Controller", dependencies: ["Adapters", "EssentialsExtras", "Certificates", "Planner", "Policy", "Caddyfile", "Webhooks", "StatusReport", "StatusPage", "DesiredState", "HomeAssistant", "Compose", "YAMLEdit", "Diagnostics", "Notifications"]),

        // Webhook verification (#8): pure, bytes in -> verdict out, no I/O (a fuzz target calls it).
        .target(name: "Webhooks", dependencies: ["EssentialsExtras", .product(name: "Crypto", package: "swift-crypto")]),

        // reconcile serve (#8): trigger coalescing, timer, HTTP endpoints, metrics, lifecycle.
        .target(name: "Daemon", dependencies: [
            "Webhooks", "Controller", "Certificates", "Adapters", "StatusPage", "EssentialsExtras", "StatusReport", "DesiredState", "Networks",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Thin CLI. The release binary is the deployed one, linked the way the gateway runs it
        // (the idle `serve` daemon's memory, issue #8: most of it is mapped code, see README "Benchmarks"):
        // - the Swift runtime and Foundation linked in statically (as deploy/ builds it with
        //   --static-swift-stdlib), so no dynamic symbol tables or relocations of the Swift libraries;
        // - lld with packed relative relocations (DT_RELR, glibc >= 2.36): the loader reads ~30 KB
        //   instead of a 2.6 MB .rela.dyn;
        // - functions ordered so that what `serve` runs at start and while idle is contiguous
        //   (scripts/reconcile.order, written by scripts/link-order.sh): the kernel maps code in 64 KB
        //   fault-around blocks, so scattered functions map most of .text. A stale order file only costs
        //   memory, never correctness (names it lacks are placed as usual). SwiftPM does not see the file
        //   as an input: after changing it, delete .build/release/reconcile to relink.
        // - no dynamic symbol table for our own code (--no-export-dynamic, which overrides the -export-dynamic
        //   that -static-stdlib brings): nothing loads or looks up symbols in this executable, yet 30,000
        //   exported names (2.7 MB of .dynsym/.dynstr/.gnu.hash) were read by the loader and dladdr at every
        //   start, and kept every exported function alive through --gc-sections (issue #15: idle `serve`
        //   30.0 -> 27.5 MiB VmRSS).
        .executableTarget(name: "reconcile", dependencies: [
            "Controller", "Adapters", "Planner", "StatusReport", "DesiredState", "Caddyfile", "Diagnostics",
            "Daemon", "Webhooks", "Certificates", "EssentialsExtras",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [
            .unsafeFlags([
                "-static-stdlib", "-l_FoundationICU", "-lCoreFoundation", "-l_FoundationCShims", "-l_FoundationCollections",
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/scripts/reconcile.order",
                "-Xlinker", "--no-warn-symbol-ordering",
                "-Xlinker", "--no-export-dynamic",
            ], .when(platforms: [.linux], configuration: .release)),
        ]),
        .executableTarget(name: "reconcile-bench", dependencies: [
            "Controller", "Adapters", "Planner", "DesiredState", "Caddyfile", "HomeAssistant", "YAMLEdit", "Policy",
            "Webhooks", "BenchmarkFixtures", "GatewayHarness", "TestSupportCore",
        ]),

        // Helpers shared by the test targets (a test target cannot import another one), in three layers:
        // - the core, no product module: running commands with a deadline, free ports, temporary
        //   directories, the built reconcile, HTTP checks (the pure cores' tests use it too);
        // - the gateway tree, laid out by the product's own GatewayPaths, and a real Caddy over it: no
        //   XCTest, so that reconcile-bench measures on the same gateway the tests use;
        // - the rest, with XCTest: the test Docker engine, the Home Assistant venv, the compose layer of
        //   the tree, every double. TestSupport re-exports the other two.
        .target(name: "TestSupportCore", path: "Tests/TestSupport/Core"),
        .target(name: "GatewayHarness", dependencies: ["Adapters", "Controller", "TestSupportCore"], path: "Tests/TestSupport/Gateway"),
        .target(name: "TestSupport", dependencies: ["TestSupportCore", "GatewayHarness", "Adapters", "Controller", "Planner", "Compose", "Diagnostics"],
                path: "Tests/TestSupport/Product"),

        .testTarget(name: "YAMLEditTests", dependencies: ["YAMLEdit"]),
        .testTarget(name: "EssentialsExtrasTests", dependencies: ["EssentialsExtras"]),
        .testTarget(name: "ParallelTests", dependencies: ["Parallel"]),
        .testTarget(name: "CaddyfileTests", dependencies: ["Caddyfile", "Diagnostics", "TestSupportCore"], exclude: ["Fixtures"]),
        .testTarget(name: "DesiredStateTests", dependencies: ["DesiredState"]),
        .testTarget(name: "HomeAssistantTests", dependencies: ["HomeAssistant", "Networks", "YAMLEdit", "Diagnostics", "BenchmarkFixtures", "TestSupportCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ComposeTests", dependencies: ["Compose", "YAMLEdit", "TestSupportCore"]),
        .testTarget(name: "ComposeRuntimeTests", dependencies: ["Adapters", "Compose", "TestSupport"]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "DesiredState", "Caddyfile", "HomeAssistant", "Compose"]),
        .testTarget(name: "AdaptersTests", dependencies: ["Adapters", "TestSupport"]),
        .testTarget(name: "GitTests", dependencies: ["Adapters", "Controller", "StatusReport", "Diagnostics", "TestSupport", "Planner", "Compose"]),
        .testTarget(name: "CertificatesTests", dependencies: ["Certificates", "Adapters", "Controller", "Planner", "Diagnostics", "TestSupport"]),
        .testTarget(name: "StatusReportTests", dependencies: ["StatusReport", "Diagnostics"]),
        .testTarget(name: "StatusPageTests", dependencies: ["StatusPage"]),
        .testTarget(name: "ApplyEngineTests", dependencies: ["Controller", "Adapters", "Planner", "Certificates", "StatusReport", "StatusPage", "TestSupport"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "Planner", "DesiredState", "StatusReport", "StatusPage", "Policy", "Adapters", "Compose", "Diagnostics", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Controller", "Adapters", "Planner", "StatusReport", "TestSupport"]),
        .testTarget(name: "HomeAssistantRuntimeTests", dependencies: ["Adapters", "HomeAssistant", "TestSupport"]),
        .testTarget(name: "GatewayEndToEndTests", dependencies: ["Adapters", "TestSupport"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Compose", "DesiredState", "Controller", "Adapters", "Diagnostics", "TestSupport"]),
        .testTarget(name: "NotificationsTests", dependencies: ["Notifications", "Diagnostics", "Webhooks", .product(name: "Crypto", package: "swift-crypto")]),
        // The channels against real servers: ntfy, Apprise's command, a signed webhook, dead targets.
        .testTarget(name: "NotifyTests", dependencies: ["Adapters", "Certificates", "Controller", "Notifications", "TestSupport"]),
        .testTarget(name: "WebhooksTests", dependencies: ["Webhooks", "TestSupportCore", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon", "Certificates", "Controller", "Adapters", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "ServeEndToEndTests", dependencies: ["Adapters", "TestSupport"]),
        // The command line's readers, held to each other (the executable's module, imported as tests may).
        .testTarget(name: "ReconcileCLITests", dependencies: [
            "reconcile", "Controller", "TestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)

// In the release (scripts/release.sh sets RECONCILE_FOUNDATION_ESSENTIALS_ONLY), the targets linked into reconcile see
// only the members of modules they import: otherwise full Foundation's String methods (`contains`, `range(of:)`),
// visible through a dependency that imports Foundation (swift-crypto), win over the standard library's and need full
// Foundation, FoundationInternationalization and ICU, which the release does not link (issue #24). Not in other
// builds: there Swift 6.3 attributes C structs' members (`stat`'s) to CoreFoundation, which nothing imports.
let foundationFreeTargets: Set<String> = [
    "Diagnostics", "EssentialsExtras", "Networks", "Parallel", "YAMLEdit", "Caddyfile", "DesiredState", "HomeAssistant",
    "Compose", "Planner", "StatusReport", "StatusPage", "Policy", "Notifications", "Certificates", "Adapters", "Controller",
    "Webhooks", "Daemon", "reconcile",
]
for target in package.targets where foundationFreeTargets.contains(target.name)
    && Context.environment["RECONCILE_FOUNDATION_ESSENTIALS_ONLY"] != nil {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
