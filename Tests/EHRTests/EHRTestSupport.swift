import EHR
import Foundation
import XCTest

/// Bundled EHR data, scratch folders and small hand-made MEDS files for the EHR tests.
enum EHRTestFiles {
    static let ehr = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/ehr").path
    static let eunomia = ehr + "/eunomia"
    static let eunomiaCSV = eunomia + "/meds_events.csv.gz"
    static let eunomiaParquet = eunomia + "/meds_events.parquet"
    static let eunomiaLabelsCSV = eunomia + "/derived_labels_nsaid_gi_bleed_365d.csv"
    static let eunomiaLabelsParquet = eunomia + "/derived_labels_nsaid_gi_bleed_365d.parquet"
    /// A MEDS folder with train/ tuning/ held_out/ Parquet shards (pandas, Snappy).
    static let acesSample = ehr + "/aces_meds_sample_synthetic"

    private static var cachedEunomia: Cohort?

    /// The Eunomia cohort read from CSV once per test run (reading it in debug builds takes a while).
    static func eunomiaCohort() throws -> Cohort {
        if let cachedEunomia { return cachedEunomia }
        let cohort = try MEDSReader.read(eunomiaCSV)
        cachedEunomia = cohort
        return cohort
    }

    /// A fresh empty folder, removed when the test ends.
    static func scratch(_ test: XCTestCase) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-ehr-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    /// Writes `text` to `dir/name` and returns the path.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The text of a gzip file, decompressed by the system's gzip (independent of our reader).
    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "gzip -dc \(path)")
        return String(decoding: data, as: UTF8.self)
    }

    /// The message of the error `body` throws (failing the test when it throws none).
    static func errorMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }
}

/// Microseconds since 1970 for a MEDS timestamp text (fails the test when it is not one).
func medsTime(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Int64 {
    guard let t = MEDSTime.parse(text) else {
        XCTFail("not a timestamp: \(text)", file: file, line: line)
        return 0
    }
    return t
}
