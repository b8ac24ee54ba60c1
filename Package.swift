// swift-tools-version:6.0
import PackageDescription

// SIMD kernels need a real vector ISA: on Swift's default x86-64 target `SIMD.addingProduct`
// lowers to one `fmaf` call per lane (about 150x slower). Haswell (AVX2 + FMA) is the default
// baseline; set SEQUOIA_TARGET_CPU (e.g. `native`, `x86-64-v4`, or `generic` to opt out) to change it.
let targetCPU = Context.environment["SEQUOIA_TARGET_CPU"] ?? "haswell"
let isX86 = Context.environment["SEQUOIA_TARGET_CPU"] != "generic"
let numeric: [SwiftSetting] = isX86
    ? [.unsafeFlags(["-target-cpu", targetCPU]), .unsafeFlags(["-enforce-exclusivity=unchecked"])]
    : []

func system(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Sources/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

/// A domain plugin's target: its name (the folder under Plugins/) and what it needs beyond SequoiaKit.
struct PluginTarget {
    let name: String
    var dependencies: [String] = []
    /// Folders under Plugins/<Name> copied into the plugin's resource bundle (weights, default models).
    var resources: [String] = []
}

/// The plugins built into `sequoia` (Sources/sequoia/BuiltinPlugins.swift registers them).
let builtinPlugins = [
    PluginTarget(name: "Genomics"),
    PluginTarget(name: "Proteins"),
    PluginTarget(name: "EHR", dependencies: ["SequoiaParquet"]),
    PluginTarget(name: "Video", dependencies: ["CFFmpeg"], resources: ["Resources"]),
]
/// The minimal plugin to copy: built and tested here, loaded by `sequoia` only as an outside library.
let templatePlugin = PluginTarget(name: "Template")

let package = Package(
    name: "Sequoia",
    products: [
        .executable(name: "sequoia", targets: ["sequoia"]),
        .library(name: "SequoiaTensor", targets: ["SequoiaTensor"]),
        .library(name: "SequoiaNN", targets: ["SequoiaNN"]),
    ],
    targets: [
        // Floor 1: C libraries.
        system("CBLAS", pkgConfig: "openblas", apt: ["libopenblas-dev"]),
        system("CFFTW", pkgConfig: "fftw3f", apt: ["libfftw3-dev"]),
        system("CHTSlib", pkgConfig: "htslib", apt: ["libhts-dev"]),
        system("CHDF5", pkgConfig: "hdf5", apt: ["libhdf5-dev"]),
        system("CFFmpeg", pkgConfig: "libavformat",
               apt: ["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"]),
        system("CZstd", pkgConfig: "libzstd", apt: ["libzstd-dev"]),
        system("CSnappy", pkgConfig: "snappy", apt: ["libsnappy-dev"]),
        system("CZlib", pkgConfig: "zlib", apt: ["zlib1g-dev"]),

        // Floor 2: tensors, kernels, autograd.
        .target(name: "SequoiaTensor", dependencies: ["CBLAS", "CFFTW"], swiftSettings: numeric),
        // Floor 3: modules, layers, optimizers, safetensors.
        .target(name: "SequoiaNN", dependencies: ["SequoiaTensor"], swiftSettings: numeric),

        // Floor 4: backbones (Mamba, BiMamba-S, Hyena, attention) and the model registry.
        .target(name: "SequoiaModels", dependencies: ["SequoiaNN"], swiftSettings: numeric),

        // Floor 5: plugin kit (registry, job configs, trainer, readers, HDF5 embeddings); it reaches models
        // through SequoiaModels' backbone protocol.
        .target(name: "SequoiaKit", dependencies: ["SequoiaModels", "CHDF5", "CHTSlib"], swiftSettings: numeric),

        // Floor 5: Parquet, read by our own reader (Debian 12 has no Arrow C++ package).
        .target(name: "SequoiaParquet", dependencies: ["CZstd", "CSnappy", "CZlib"], swiftSettings: numeric),

        // Floor 7: the CLI, with the built-in plugins. It exports its symbols so plugin libraries loaded
        // at run time bind to this copy of SequoiaKit.
        .executableTarget(name: "sequoia", dependencies: ["SequoiaKit"] + builtinPlugins.map { .target(name: $0.name) },
                          swiftSettings: numeric, linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]),
        .executableTarget(name: "SequoiaBench", dependencies: ["SequoiaModels", "SequoiaParquet", "CBLAS"], swiftSettings: numeric),

        .testTarget(name: "SequoiaTensorTests", dependencies: ["SequoiaTensor"], swiftSettings: numeric),
        .testTarget(name: "SequoiaNNTests", dependencies: ["SequoiaNN"], swiftSettings: numeric),
        .testTarget(name: "SequoiaModelsTests", dependencies: ["SequoiaModels"], swiftSettings: numeric),
        .testTarget(name: "SequoiaParquetTests", dependencies: ["SequoiaParquet"], swiftSettings: numeric),
        .testTarget(name: "SequoiaKitTests", dependencies: ["SequoiaKit"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CBLAS", "CFFTW", "CHTSlib", "CHDF5", "CFFmpeg", "CZstd", "CSnappy", "CZlib"]),
    ]
    // Floor 6: each domain plugin (and the template) is a target in Plugins/<Name> with its tests in Tests/<Name>Tests.
    + (builtinPlugins + [templatePlugin]).flatMap { plugin -> [Target] in [
        .target(name: plugin.name, dependencies: ["SequoiaKit"] + plugin.dependencies.map { .target(name: $0) },
                path: "Plugins/\(plugin.name)", resources: plugin.resources.map { .copy($0) }, swiftSettings: numeric),
        .testTarget(name: "\(plugin.name)Tests", dependencies: [.target(name: plugin.name)], swiftSettings: numeric),
    ] },
    // Swift 5 mode: the kernels hand raw buffer pointers to a parallel-for, which Swift 6's
    // strict Sendable checking would force through wrappers on every call.
    swiftLanguageModes: [.v5]
)
