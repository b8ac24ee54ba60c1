import Foundation
import Glibc

/// A folder of outputs that appears whole or not at all: `body` fills a fresh hidden folder beside
/// `url`, which is then renamed into place (an older folder at `url` is moved aside first and
/// removed after). On any failure the hidden folder is removed and `url` is left as it was.
public enum AtomicFolder {
    public static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        let parent = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
            throw AtomicFileError(path: url.path, reason: "exists and is not a folder")
        }
        do { try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw AtomicFileError(path: url.path, reason: "cannot create its parent folder")
        }
        let temp = AtomicFile.temporaryURL(for: url)
        guard mkdir(temp.path, 0o755) == 0 else {
            throw AtomicFileError(path: url.path, reason: "cannot create a folder in \(parent.path) (\(String(cString: strerror(errno))))")
        }
        do { try body(temp) } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        let old = AtomicFile.temporaryURL(for: url)
        let hadOld = rename(url.path, old.path) == 0
        guard rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if hadOld { rename(old.path, url.path) }
            try? FileManager.default.removeItem(at: temp)
            throw AtomicFileError(path: url.path, reason: "rename (\(reason))")
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }
}
