import Foundation
import SequoiaTensor

// swift run -c release SequoiaBench [core] [--quick]
//     Markdown tables for BENCHMARKS.md.
// swift run -c release SequoiaBench backbone --arch mamba|hyena|attention --length L --mode forward|train
//     One backbone measurement as JSON (scripts/bench-backbones.sh compares it with PyTorch).
// swift run -c release SequoiaBench recall [--steps N] [--arch mamba,hyena,attention]
//     Associative-recall probe: trains each backbone briefly, prints a Markdown table of accuracies.
// swift run -c release SequoiaBench parquet [--json] [--runs N] FILE...
//     Parquet read throughput per file and per column (scripts/bench-ehr.sh compares it with pyarrow).
// swift run -c release SequoiaBench encoder [--weights DIR] [--batch B] [--size S]
//     MobileNetV2 frame-encoder frames/s as JSON (scripts/bench-video.sh compares it with PyTorch).

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "backbone" {
    try BackboneBench.run(Array(args.dropFirst()))
} else if args.first == "recall" {
    try AssociativeRecall.run(Array(args.dropFirst()))
} else if args.first == "encoder" {
    try EncoderBench.run(Array(args.dropFirst()))
} else if args.first == "parquet" {
    do { try ParquetBench.run(Array(args.dropFirst())) } catch {
        FileHandle.standardError.write(Data("SequoiaBench parquet: \(error)\n".utf8))
        exit(1)
    }
} else {
    let quick = args.contains("--quick")
    print("Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; threads \(Parallel.threadCount)\n")
    CoreBench.run(quick: quick)
}
