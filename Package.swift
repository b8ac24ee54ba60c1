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

        // Floor 5: plugin registry, command options, progress, training machinery.
        .target(name: "SequoiaKit", dependencies: ["SequoiaModels", "CHDF5", "CHTSlib"], swiftSettings: numeric),

        // Floor 5: Parquet, read by our own reader (Debian 12 has no Arrow C++ package).
        .target(name: "SequoiaParquet", dependencies: ["CZstd", "CSnappy", "CZlib"], swiftSettings: numeric),

        // Floor 6: domain plugins.
        .target(name: "Genomics", dependencies: ["SequoiaKit", "CHTSlib"], path: "Plugins/Genomics", swiftSettings: numeric),
        .target(name: "Proteins", dependencies: ["SequoiaKit", "CHTSlib"], path: "Plugins/Proteins", swiftSettings: numeric),
        .target(name: "EHR", dependencies: ["SequoiaKit", "SequoiaParquet", "CHTSlib"], path: "Plugins/EHR", swiftSettings: numeric),

        // Floor 7: the CLI.
        // Exports its symbols so plugin libraries loaded at run time bind to this copy of SequoiaKit.
        .executableTarget(name: "sequoia", dependencies: ["SequoiaKit", "Genomics", "Proteins", "EHR"], swiftSettings: numeric,
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]),
        .executableTarget(name: "SequoiaBench", dependencies: ["SequoiaModels", "SequoiaParquet", "CBLAS"], swiftSettings: numeric),

        .testTarget(name: "SequoiaTensorTests", dependencies: ["SequoiaTensor"], swiftSettings: numeric),
        .testTarget(name: "SequoiaNNTests", dependencies: ["SequoiaNN"], swiftSettings: numeric),
        .testTarget(name: "SequoiaModelsTests", dependencies: ["SequoiaModels"], swiftSettings: numeric),
        .testTarget(name: "GenomicsTests", dependencies: ["Genomics"], swiftSettings: numeric),
        .testTarget(name: "ProteinsTests", dependencies: ["Proteins"], swiftSettings: numeric),
        .testTarget(name: "EHRTests", dependencies: ["EHR"], swiftSettings: numeric),
        .testTarget(name: "SequoiaParquetTests", dependencies: ["SequoiaParquet"], swiftSettings: numeric),
        .testTarget(name: "SequoiaKitTests", dependencies: ["SequoiaKit"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CBLAS", "CFFTW", "CHTSlib", "CHDF5", "CFFmpeg", "CZstd", "CSnappy", "CZlib"]),
    ],
    // Swift 5 mode: the kernels hand raw buffer pointers to a parallel-for, which Swift 6's
    // strict Sendable checking would force through wrappers on every call.
    swiftLanguageModes: [.v5]
)
