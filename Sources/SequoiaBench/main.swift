import Foundation
import SequoiaTensor

// swift run -c release SequoiaBench [core] [--quick]
// Prints Markdown tables for BENCHMARKS.md.

let args = CommandLine.arguments.dropFirst()
let quick = args.contains("--quick")
let suites = args.filter { !$0.hasPrefix("--") }

print("Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; threads \(Parallel.threadCount)\n")
if suites.isEmpty || suites.contains("core") { CoreBench.run(quick: quick) }
