import CHTSlib
import Foundation

/// Finds a fresh faidx index (.fai, plus .gzi for bgzip) for a FASTA file, or validates the file and builds one:
/// beside the FASTA when its folder is writable, otherwise in a per-user cache folder keyed by the file's
/// absolute path, size and modification time.
struct FaidxIndex {
    /// One line of a .fai file.
    struct Entry { var name: String; var length: Int; var offset: Int; var lineBases: Int; var lineWidth: Int }

    let fai: String
    let gzi: String?
    let entries: [Entry]

    /// `$XDG_CACHE_HOME/sequoia/faidx`, else `~/.cache/sequoia/faidx`.
    static var defaultCacheRoot: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/sequoia/faidx" }
        return (env["HOME"] ?? NSHomeDirectory()) + "/.cache/sequoia/faidx"
    }

    /// Locates or builds the index of the FASTA at `path` (`bgzip` says whether it is bgzip-compressed);
    /// `validate` runs once before a build, to reject what faidx would index without complaint.
    static func locate(path: String, bgzip: Bool, cacheRoot: String?, validate: () throws -> Void) throws -> FaidxIndex {
        let file = try FileStamp(path)
        let name = (file.absolutePath as NSString).lastPathComponent
        let folder = (file.absolutePath as NSString).deletingLastPathComponent
        let cache = (cacheRoot ?? defaultCacheRoot) + "/" + file.key + "/" + name
        let places = [file.absolutePath, cache]
        for place in places {
            if let index = fresh(place, file: file, bgzip: bgzip) { return index }
        }
        // faidx only sees line structure: the caller checks letters, names and line lengths, with lines to point at.
        try validate()
        var failures: [String] = []
        for place in places {
            if place == file.absolutePath && access(folder, W_OK) != 0 {
                failures.append("\(folder) is not writable")
                continue
            }
            do {
                try build(path: path, into: place, bgzip: bgzip)
                if let index = fresh(place, file: file, bgzip: bgzip) { return index }
                failures.append("\(place).fai was written but does not match the file")
            } catch {
                failures.append("\(error)")
            }
        }
        // Unvalidated line structure is the usual reason faidx fails; htslib's own message is silenced.
        throw FastaError(path, .index("cannot build the index: " + failures.joined(separator: "; ")
            + " (faidx needs every line of a record but the last equally long: rewrap, e.g. `seqkit seq -w 60`)"))
    }

    /// Writes `<place>.fai` (and `.gzi`) through temporary names, renamed only once complete.
    private static func build(path: String, into place: String, bgzip: Bool) throws {
        let folder = (place as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FastaError(path, .index("cannot create \(folder)"))
        }
        let tag = ".tmp\(getpid())"
        let fai = place + ".fai", gzi = place + ".gzi"
        defer { unlink(fai + tag); unlink(gzi + tag) }
        guard quietHtslib({ fai_build3(path, fai + tag, bgzip ? gzi + tag : nil) }) == 0 else {
            throw FastaError(path, .index("faidx could not write \(fai)"))
        }
        if bgzip, rename(gzi + tag, gzi) != 0 { throw FastaError(path, .index("cannot write \(gzi)")) }
        if rename(fai + tag, fai) != 0 { throw FastaError(path, .index("cannot write \(fai)")) }
    }

    /// The index at `<place>.fai` if it exists, is no older than the FASTA and agrees with it; nil otherwise.
    private static func fresh(_ place: String, file: FileStamp, bgzip: Bool) -> FaidxIndex? {
        let fai = place + ".fai", gzi = place + ".gzi"
        guard let faiStamp = try? FileStamp(fai), faiStamp.isRegular, faiStamp.modified >= file.modified else { return nil }
        if bgzip {
            guard let gziStamp = try? FileStamp(gzi), gziStamp.isRegular, gziStamp.modified >= file.modified else { return nil }
        }
        guard let entries = parse(fai), !entries.isEmpty else { return nil }
        if !bgzip && !agrees(entries, with: file) { return nil }
        return FaidxIndex(fai: fai, gzi: bgzip ? gzi : nil, entries: entries)
    }

    private static func parse(_ fai: String) -> [Entry]? {
        guard let text = try? String(contentsOfFile: fai, encoding: .utf8) else { return nil }
        var entries: [Entry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 5, let length = Int(f[1]), let offset = Int(f[2]),
                  let bases = Int(f[3]), let width = Int(f[4]), length >= 0, offset >= 0, width >= bases
            else { return nil }
            entries.append(Entry(name: String(f[0]), length: length, offset: offset, lineBases: bases, lineWidth: width))
        }
        return entries
    }

    /// Checks each record of an uncompressed FASTA ends where the index says: followed by the next header
    /// or, for the last record, only line breaks to the end of the file. Catches an index of an edited file.
    private static func agrees(_ entries: [Entry], with file: FileStamp) -> Bool {
        let fd = open(file.absolutePath, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        for (i, e) in entries.enumerated() {
            guard e.lineBases > 0, e.length > 0 else { return false }
            // Just past the last letter (a file need not end with a line break).
            let end = e.offset + ((e.length - 1) / e.lineBases) * e.lineWidth + (e.length - 1) % e.lineBases + 1
            let boundary = i + 1 < entries.count ? entries[i + 1].offset : file.size
            guard end <= boundary, boundary - end <= (i + 1 < entries.count ? Int.max : 64) else { return false }
            var tail = [UInt8](repeating: 0, count: min(boundary - end, 64))
            guard pread(fd, &tail, tail.count, off_t(end)) == tail.count else { return false }
            let rest = tail.drop { $0 == 0x0A || $0 == 0x0D }
            if i + 1 < entries.count ? rest.first != UInt8(ascii: ">") : !rest.isEmpty { return false }
        }
        return true
    }
}

/// A file's absolute path, size and modification time, which key the index cache.
struct FileStamp {
    let absolutePath: String
    let size: Int
    let modified: Int
    let isRegular: Bool

    init(_ path: String) throws {
        absolutePath = URL(fileURLWithPath: path).standardizedFileURL.path
        var st = stat()
        guard stat(absolutePath, &st) == 0 else {
            throw FastaError(path, .cannotOpen(String(cString: strerror(errno))))
        }
        size = Int(st.st_size)
        modified = Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
        isRegular = (st.st_mode & S_IFMT) == S_IFREG
    }

    /// FNV-1a of path, size and time, in hex: a folder name that changes whenever the file does.
    var key: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(absolutePath)\u{0}\(size)\u{0}\(modified)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
