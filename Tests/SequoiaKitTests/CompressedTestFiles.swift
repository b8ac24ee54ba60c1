import CHTSlib
import Foundation
import XCTest

/// Writes `bytes` to `path` as a plain file (`mode` nil) or through htslib's BGZF writer: "w" bgzip,
/// "wg" plain gzip. Returns the path.
func writeFile(_ bytes: [UInt8], to path: String, mode: String?) throws -> String {
    guard let mode else {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
    let fp = try XCTUnwrap(bgzf_open(path, mode))
    XCTAssertEqual(bgzf_write(fp, bytes, bytes.count), bytes.count)
    XCTAssertEqual(bgzf_close(fp), 0)
    return path
}
