import Foundation
import SequoiaTensor

// swift run -c release SequoiaBench [core] [--quick]
//     Markdown tables for BENCHMARKS.md.
// swift run -c release SequoiaBench backbone --arch mamba|hyena|attention --length L --mode forward|train
//     One backbone measurement as JSON (scripts/bench-backbones.sh compares it with PyTorch).

let args = Array(CommandLine.arguments.dropFirst())
if args.first == "backbone" {
    try BackboneBench.run(Array(args.dropFirst()))
} else {
    let quick = args.contains("--quick")
    print("Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; threads \(Parallel.threadCount)\n")
    CoreBench.run(quick: quick)
}
