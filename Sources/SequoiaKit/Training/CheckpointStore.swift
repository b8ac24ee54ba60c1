import Foundation
import SequoiaNN
import Glibc

/// The checkpoints of one run inside its output folder:
///
///     OUT/checkpoint-<step>/   one complete set per kept step
///     OUT/latest -> checkpoint-<step>
///     OUT/<model files>        hard links to the latest set's model files (for tools that load OUT directly)
///
/// A set is written into a hidden temporary folder, flushed, and renamed into place, so a crash
/// leaves either the whole new set or none of it; `latest` then moves with an atomic rename.
public struct CheckpointStore {
    public let folder: URL
    static let latestName = "latest"
    static let prefix = "checkpoint-"

    public init(folder: URL) {
        self.folder = folder
    }

    /// Existing checkpoint folders, oldest first.
    public func checkpoints() -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name -> (Int, URL)? in
            guard name.hasPrefix(Self.prefix), let step = Int(name.dropFirst(Self.prefix.count)), step >= 0 else { return nil }
            return (step, folder.appendingPathComponent(name))
        }.sorted { $0.0 < $1.0 }
    }

    /// The set `latest` names, or the highest-numbered one when the link is missing or dangling.
    public func latest() -> (step: Int, url: URL)? {
        let all = checkpoints()
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latestLink.path),
           let found = all.first(where: { $0.url.lastPathComponent == target }) {
            return found
        }
        return all.last
    }

    /// Writes the set for `step`: `fill` puts its files into a fresh folder; then every file is
    /// flushed, the folder renamed to checkpoint-<step>, `latest` moved to it, its top-level files
    /// except `unpublished` linked into the output folder, and all but the newest `keep` sets removed.
    /// If `fill` throws, the temporary folder is removed and earlier checkpoints are untouched.
    @discardableResult
    public func write(step: Int, keep: Int, unpublished: Set<String> = [], fill: (URL) throws -> Void) throws -> URL {
        let name = Self.prefix + "\(step)"
        let temp = folder.appendingPathComponent(".\(name).tmp-\(getpid())")
        let fm = FileManager.default
        try? fm.removeItem(at: temp)
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        let files: [String]
        do {
            try fill(temp)
            files = try fm.contentsOfDirectory(atPath: temp.path).sorted()
            for file in files where !isDirectory(temp.appendingPathComponent(file)) {
                try AtomicFile.sync(temp.appendingPathComponent(file))
            }
            AtomicFile.syncFolder(temp)
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }

        let final = folder.appendingPathComponent(name)
        // A set for the same step (e.g. a run restarted past its checkpoint) is replaced whole.
        let old = folder.appendingPathComponent(".\(name).old.tmp-\(getpid())")
        if fm.fileExists(atPath: final.path) { try fm.moveItem(at: final, to: old) }
        try rename(temp, to: final)
        try? fm.removeItem(at: old)
        AtomicFile.syncFolder(folder)

        let tempLink = folder.appendingPathComponent(".\(Self.latestName).tmp-\(getpid())")
        unlink(tempLink.path)
        guard symlink(name, tempLink.path) == 0 else { throw posixFailure("symlink", tempLink) }
        try rename(tempLink, to: latestLink)

        for file in files where !unpublished.contains(file) && !isDirectory(final.appendingPathComponent(file)) {
            try publish(final.appendingPathComponent(file))
        }
        AtomicFile.syncFolder(folder)
        prune(keep: keep, current: step)
        return final
    }

    /// Removes hidden temporaries (".*.tmp-*") that a killed process left behind.
    public func removeTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    private var latestLink: URL { folder.appendingPathComponent(Self.latestName) }

    /// Replaces OUT/<file> with a hard link to the checkpoint's copy (a copy where links fail).
    private func publish(_ source: URL) throws {
        let target = folder.appendingPathComponent(source.lastPathComponent)
        let temp = folder.appendingPathComponent(".\(source.lastPathComponent).tmp-\(getpid())")
        unlink(temp.path)
        if Glibc.link(source.path, temp.path) != 0 {
            try FileManager.default.copyItem(at: source, to: temp)
            try AtomicFile.sync(temp)
        }
        try rename(temp, to: target)
    }

    private func prune(keep: Int, current: Int) {
        let all = checkpoints()
        for (step, url) in all.dropLast(max(keep, 1)) where step != current {
            try? FileManager.default.removeItem(at: url)
        }
    }

    private func rename(_ from: URL, to: URL) throws {
        guard Glibc.rename(from.path, to.path) == 0 else { throw posixFailure("rename", to) }
    }

    private func isDirectory(_ url: URL) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &dir) && dir.boolValue
    }

    private func posixFailure(_ call: String, _ url: URL) -> TrainingError {
        .checkpointFailed(folder: folder.path, reason: "\(call) \(url.lastPathComponent): \(String(cString: strerror(errno)))")
    }
}
