import SequoiaKit
import XCTest

final class CommandOptionsTests: XCTestCase {
    let steps = Option.int("steps", "N", help: "steps", atLeast: 1).defaulting(to: 10)
    let out = Option("out", "DIR", help: "output").required
    let seed = Option.seed(help: "seed")
    let ratio = Option.number("ratio", "R", help: "a fraction").checked("in (0, 1)") { $0 > 0 && $0 < 1 }
    let resume = Flag("resume", help: "resume")
    var options: [any CommandOption] { [steps, out, seed, ratio, resume] }

    func parse(_ arguments: [String]) throws -> ParsedOptions {
        try ParsedOptions(arguments, options: options, command: "t")
    }

    func testValuesFlagsAndDefaults() throws {
        let o = try parse(["--out", "runs/a", "--resume"])
        XCTAssertEqual(try o[out], "runs/a")
        XCTAssertTrue(o[resume])
        XCTAssertEqual(try o[steps], 10)
        XCTAssertNil(try o[seed])
        XCTAssertFalse(o.given(steps))
        let p = try parse(["--out=x", "--steps=3", "--seed", "7", "--ratio", "0.25", "file.fa"])
        XCTAssertEqual(try p[steps], 3)
        XCTAssertEqual(try p[seed], 7)
        XCTAssertEqual(try p[ratio], 0.25)
        XCTAssertTrue(p.given(steps))
        XCTAssertEqual(p.positional, ["file.fa"])
        XCTAssertFalse(p[resume])
    }

    func testMistakesAreUsageErrors() throws {
        XCTAssertThrowsError(try parse(["--out", "x", "--nope"])) {
            XCTAssertTrue("\($0)".contains("unknown option '--nope'"))
        }
        XCTAssertThrowsError(try parse(["--out"])) {
            XCTAssertTrue("\($0)".contains("needs a value"))
        }
        XCTAssertThrowsError(try parse(["--steps", "4"])) {
            XCTAssertTrue("\($0)".contains("missing required option '--out"))
        }
        XCTAssertThrowsError(try parse(["--out", "x", "--resume=yes"]))
        XCTAssertThrowsError(try parse(["--out", "x", "-q"]))
        // Values are checked where they are read, each with a message naming the option.
        XCTAssertThrowsError(try parse(["--out", "x", "--steps", "many"])[steps]) {
            XCTAssertEqual("\($0)", "--steps must be an integer, got 'many'")
            XCTAssertTrue($0 is UsageError)
        }
        XCTAssertThrowsError(try parse(["--out", "x", "--steps", "0"])[steps]) {
            XCTAssertEqual("\($0)", "--steps must be at least 1, got 0")
        }
        XCTAssertThrowsError(try parse(["--out", "x", "--seed", "-1"])[seed])
        XCTAssertThrowsError(try parse(["--out", "x", "--ratio", "1.5"])[ratio]) {
            XCTAssertEqual("\($0)", "--ratio must be in (0, 1), got 1.5")
        }
        XCTAssertThrowsError(try parse(["--out", "x", "--ratio", "nan"])[ratio])
    }

    func testHelpListsEveryOption() {
        let text = helpText(usage: "sequoia t [options]", summary: "does t", specs: options.map(\.spec))
        for name in ["--steps N", "--out DIR", "--resume", "--help", "(default: 10)", "(required)"] {
            XCTAssertTrue(text.contains(name), "help lacks \(name)")
        }
    }
}
