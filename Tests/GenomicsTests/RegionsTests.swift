import Foundation
import Genomics
import XCTest

final class RegionsTests: XCTestCase {
    let records = [SequenceRecord(name: "chr1", length: 1000), SequenceRecord(name: "chr2", length: 500)]

    func testBEDLinesAndSkippedLines() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write("""
            # comment
            track name=x
            browser position chr1:1-100

            chr1\t0\t100
            chr2 10 500 gene7 0 +
            chr1\t900\t1000\tpeak\r

            """, "r.bed", in: dir)
        let bed = try BEDReader.read(path, records: records)
        XCTAssertEqual(bed.map(\.region), [GenomicRegion(record: 0, range: 0..<100), GenomicRegion(record: 1, range: 10..<500),
                                          GenomicRegion(record: 0, range: 900..<1000)])
        XCTAssertEqual(bed.map(\.name), [nil, "gene7", "peak"])
        XCTAssertEqual(bed.map(\.line), [5, 6, 7])
        XCTAssertEqual(bed.map(\.role), [nil, nil, nil])
    }

    func testBadBEDLinesNameFileAndLine() throws {
        let dir = try TestFiles.scratch(self)
        let cases: [(String, String)] = [
            ("chr1\t0", "expected 'chrom start end'"),
            ("chr1\tzero\t10", "must be integers"),
            ("chrX\t0\t10", "unknown record 'chrX'"),
            ("chr1\t10\t10", "start 10 must be >= 0 and < end 10"),
            ("chr1\t-5\t10", "start -5"),
            ("chr2\t0\t501", "end 501 is beyond the record (length 500)"),
        ]
        for (line, message) in cases {
            let path = try TestFiles.write("chr1\t0\t10\n\(line)\n", "bad.bed", in: dir)
            XCTAssertThrowsError(try BEDReader.read(path, records: records)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("\(path) line 2: "), text)
                XCTAssertTrue(text.contains(message), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
        let empty = try TestFiles.write("# nothing\n", "empty.bed", in: dir)
        XCTAssertThrowsError(try BEDReader.read(empty, records: records)) { XCTAssertEqual("\($0)", "\(empty): no regions") }
        XCTAssertThrowsError(try BEDReader.read(dir + "/missing.bed", records: records))
    }

    func testSplitColumnAssignsRoles() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write("chr1\t0\t800\ttrain\nchr1\t800\t1000\tValidation\nchr2\t0\t250\tval\nchr2\t250\t500\ttest\n",
                                       "split.bed", in: dir)
        let bed = try BEDReader.read(path, records: records)
        XCTAssertEqual(bed.map(\.role), [.train, .validation, .validation, .test])
        let split = try GenomeSplit(bed: bed, file: path)
        XCTAssertEqual(split.train, [GenomicRegion(record: 0, range: 0..<800)])
        XCTAssertEqual(split.validation, [GenomicRegion(record: 0, range: 800..<1000), GenomicRegion(record: 1, range: 0..<250)])
        XCTAssertEqual(split.test, [GenomicRegion(record: 1, range: 250..<500)])

        let mixed = try TestFiles.write("chr1\t0\t800\ttrain\nchr1\t800\t1000\tpeak\n", "mixed.bed", in: dir)
        XCTAssertThrowsError(try GenomeSplit(bed: BEDReader.read(mixed, records: records), file: mixed)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(mixed) line 2: "), "\(error)")
        }
    }

    func testBEDWithoutRolesGetsTheDefaultHoldOut() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write("chr1\t100\t300\tx\nchr2\t0\t500\n", "r.bed", in: dir)
        let split = try GenomeSplit(bed: BEDReader.read(path, records: records))
        XCTAssertEqual(split.train, [GenomicRegion(record: 0, range: 100..<280), GenomicRegion(record: 1, range: 0..<450)])
        XCTAssertEqual(split.validation, [GenomicRegion(record: 0, range: 280..<300), GenomicRegion(record: 1, range: 450..<500)])
        XCTAssertEqual(split.test, [])
    }

    func testDefaultHoldsOutTheLastTenthOfEachRecord() {
        let split = GenomeSplit(records: [SequenceRecord(name: "ecoli", length: 4_938_920)])
        XCTAssertEqual(split.train, [GenomicRegion(record: 0, range: 0..<4_445_028)])
        XCTAssertEqual(split.validation, [GenomicRegion(record: 0, range: 4_445_028..<4_938_920)])
        let tiny = GenomeSplit(records: [SequenceRecord(name: "t", length: 4)])
        XCTAssertEqual(tiny.train, [GenomicRegion(record: 0, range: 0..<4)])
        XCTAssertEqual(tiny.validation, [])
    }

    func testWholeRecordHoldOut() {
        let many = (0..<25).map { SequenceRecord(name: "r\($0)", length: 100 + $0) }
        let split = GenomeSplit(records: many, holdOut: .wholeRegions(every: 10))
        XCTAssertEqual(split.validation.map(\.record), [9, 19])
        XCTAssertEqual(split.train.count, 23)
        XCTAssertEqual(split.validation[0].range, 0..<109)
        let three = GenomeSplit(records: Array(many.prefix(3)), holdOut: .wholeRegions(every: 10))
        XCTAssertEqual(three.validation.map(\.record), [2])
        XCTAssertEqual(three.train.map(\.record), [0, 1])
        let one = GenomeSplit(records: Array(many.prefix(1)), holdOut: .wholeRegions(every: 10))
        XCTAssertEqual(one.validation, [])
    }

    func testSplitIsCodable() throws {
        let split = GenomeSplit(records: records)
        XCTAssertEqual(try JSONDecoder().decode(GenomeSplit.self, from: JSONEncoder().encode(split)), split)
    }

    func testBEDOnARealGenome() throws {
        let dir = try TestFiles.scratch(self)
        let source = try FastaReader.open(try TestFiles.copy(TestFiles.yeast, into: dir))
        let path = try TestFiles.write("yeastSEQCHR1\t0\t207187\ttrain\nyeastSEQCHR1\t207187\t230208\tvalidation\n", "y.bed", in: dir)
        let split = try GenomeSplit(bed: BEDReader.read(path, records: source.records))
        XCTAssertEqual(split.validation.map(\.range.count), [23_021])
        let past = try TestFiles.write("yeastSEQCHR1\t0\t230209\n", "past.bed", in: dir)
        XCTAssertThrowsError(try BEDReader.read(past, records: source.records))
    }
}
