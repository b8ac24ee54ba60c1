import SequoiaKit
import XCTest

final class CommandOptionsTests: XCTestCase {
    let specs: [OptionSpec] = [
        .value("steps", "N", help: "steps", default: "10"),
        .value("out", "DIR", help: "output", required: true),
        .flag("resume", help: "resume"),
    ]

    func testValuesFlagsAndDefaults() throws {
        let o = try ParsedOptions(["--out", "runs/a", "--resume"], specs: specs, command: "t")
        XCTAssertEqual(o.string("out"), "runs/a")
        XCTAssertTrue(o.flag("resume"))
        XCTAssertEqual(try o.int("steps"), 10)
        let p = try ParsedOptions(["--out=x", "--steps=3", "file.fa"], specs: specs, command: "t")
        XCTAssertEqual(try p.int("steps"), 3)
        XCTAssertEqual(p.positional, ["file.fa"])
        XCTAssertFalse(p.flag("resume"))
    }

    func testMistakesAreUsageErrors() {
        XCTAssertThrowsError(try ParsedOptions(["--out", "x", "--nope"], specs: specs, command: "t")) {
            XCTAssertTrue("\($0)".contains("unknown option '--nope'"))
        }
        XCTAssertThrowsError(try ParsedOptions(["--out"], specs: specs, command: "t")) {
            XCTAssertTrue("\($0)".contains("needs a value"))
        }
        XCTAssertThrowsError(try ParsedOptions(["--steps", "4"], specs: specs, command: "t")) {
            XCTAssertTrue("\($0)".contains("missing required option '--out"))
        }
        XCTAssertThrowsError(try ParsedOptions(["--out", "x", "--resume=yes"], specs: specs, command: "t"))
        XCTAssertThrowsError(try ParsedOptions(["--out", "x", "-q"], specs: specs, command: "t"))
        XCTAssertThrowsError(try ParsedOptions(["--out", "x", "--steps", "many"], specs: specs, command: "t").int("steps"))
    }

    func testHelpListsEveryOption() {
        let text = helpText(usage: "sequoia t [options]", summary: "does t", specs: specs)
        for name in ["--steps N", "--out DIR", "--resume", "--help", "(default: 10)", "(required)"] {
            XCTAssertTrue(text.contains(name), "help lacks \(name)")
        }
    }
}
