// swift-tools-version:6.0
import PackageDescription

// Skiff: Kubernetes rebuilt in Swift, as one binary. Targets follow ../shared/DESIGN.md.

// The request path crosses KubeModel, KubeStore and KubeAPIServer for every object; letting the
// optimizer inline and specialize across them removes much generic and retain/release overhead.
let crossModuleOptimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // System SQLite (libsqlite3-dev), used through its C API by KubeStore.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),

        // API types (generated from the OpenAPI schema) and hand-written meta types.
        .target(
            name: "KubeModel",
            dependencies: [.product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: crossModuleOptimized
        ),
        // Generates Sources/KubeModel/Generated from ../shared/k8s-api/swagger.json:
        // the generator library (also used by the test that checks the committed output) and its CLI.
        .target(name: "KubeModelGenerator"),
        .executableTarget(name: "KubeModelGen", dependencies: ["KubeModelGenerator"]),

        // The revisioned key-value store: SQLite and in-memory backends.
        .target(name: "KubeStore", dependencies: ["CSQLite", .product(name: "Logging", package: "swift-log")],
                swiftSettings: crossModuleOptimized),

        // How every component reaches the API server: kubeconfig, transports, REST client,
        // watch, informers, work queue, leader election, events.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The scheduler's pure core: node cache, snapshot, framework and plugins, queue, preemption.
        .target(name: "KubeScheduler", dependencies: ["KubeModel", "KubeClient", .product(name: "Logging", package: "swift-log")]),

        // The Kubernetes API server.
        .target(
            name: "KubeAPIServer",
            dependencies: [
                "KubeModel", "KubeStore", "KubeClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: crossModuleOptimized
        ),

        // The controller manager: one reconcile loop per controller over shared informers.
        .target(
            name: "KubeControllers",
            dependencies: ["KubeModel", "KubeClient", "KubeScheduler", .product(name: "Logging", package: "swift-log")]
        ),

        // Simulated nodes: kubelets without containers, for tests and benchmarks of the control plane.
        .target(
            name: "HollowNode",
            dependencies: ["KubeModel", "KubeClient", .product(name: "Logging", package: "swift-log")]
        ),

        .executableTarget(
            name: "skiff",
            dependencies: [
                "KubeAPIServer", "KubeStore", "KubeModel", "KubeClient", "KubeControllers", "KubeScheduler", "HollowNode",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmarks (bench/): helpers that need the libraries directly; run through bench/*/run.sh.
        .executableTarget(
            name: "skiff-bench",
            dependencies: [
                "KubeStore", "KubeAPIServer", "KubeModel", "KubeClient", "KubeScheduler", "HollowNode",
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "bench/Sources/SkiffBench"),

        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel", "KubeModelGenerator"]),
        .testTarget(name: "KubeStoreTests", dependencies: ["KubeStore"]),
        .testTarget(name: "KubeSchedulerTests", dependencies: ["KubeScheduler", "KubeModel"]),
        .testTarget(name: "KubeAPIServerTests", dependencies: ["KubeAPIServer", "KubeStore", "KubeModel", "KubeClient"]),
        // Controllers run against a real in-process API server over the in-memory store.
        .testTarget(
            name: "KubeControllersTests",
            dependencies: [
                "KubeControllers", "KubeClient", "KubeModel", "KubeAPIServer", "KubeStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "HollowNodeTests",
            dependencies: ["HollowNode", "KubeClient", "KubeModel", "KubeAPIServer", "KubeStore",
                           .product(name: "Logging", package: "swift-log")]
        ),
        // The server is a dependency of the client's tests only: integration tests start a real one.
        .testTarget(
            name: "KubeClientTests",
            dependencies: [
                "KubeClient", "KubeModel", "KubeAPIServer", "KubeStore",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
