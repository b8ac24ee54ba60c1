import Foundation
import SequoiaTensor

/// What a plugin's embedding file holds beside the shared columns.
public struct EmbeddingLayout: Sendable {
    /// The group of per-item state datasets ("per_position", "per_residue").
    public let perItemGroup: String
    /// String columns stored beside /ids, one value per item (e.g. "accessions").
    public let stringColumns: [String]
    /// Integer attributes on / beside model, d_model and layout_version; a file being extended must match them.
    public let attributes: [(name: String, value: Int)]

    public init(perItemGroup: String, stringColumns: [String] = [], attributes: [(name: String, value: Int)] = []) {
        self.perItemGroup = perItemGroup
        self.stringColumns = stringColumns
        self.attributes = attributes
    }
}

/// One item to store: its id, its states at `positions` of `row` of `states` [B, L, d], and its
/// values for the layout's string columns.
public struct EmbeddingItem {
    public let id: String
    public let states: Tensor
    public let row: Int
    public let positions: Range<Int>
    public let columns: [String]

    public init(id: String, states: Tensor, row: Int, positions: Range<Int>, columns: [String] = []) {
        self.id = id
        self.states = states
        self.row = row
        self.positions = positions
        self.columns = columns
    }
}

/// The HDF5 embedding file every plugin's `embed` job writes (layout version 1):
///
///     /ids               [N] UTF-8 strings, one per item
///     /mean              [N, d] float32: each item's hidden states averaged over its positions
///     /<column>          [N] UTF-8 strings, for each of the layout's string columns
///     /<group>/<id>      [L, d] float32: the item's states at every position (when asked)
///     attributes on /    model (the model folder), d_model (d), layout_version (1), the layout's own
///
/// Items are appended a batch at a time: means and columns, then per-item states, then the ids,
/// then a flush, so a file cut short by a crash holds complete items up to its last id and a resumed
/// run (`extend`) trims what lies past them.
public final class EmbeddingWriter {
    public static let layoutVersion = 1

    public let path: String
    public let width: Int
    public let layout: EmbeddingLayout
    /// Ids the file already held (an extended file); new items should skip them.
    public let existingIds: Set<String>
    /// Dropped without `finish()`, it abandons a created file and keeps what an extended one flushed
    /// (`HDF5File`'s own deinit).
    private let file: HDF5File

    private init(path: String, file: HDF5File, width: Int, layout: EmbeddingLayout, existingIds: Set<String>) {
        self.path = path
        self.file = file
        self.width = width
        self.layout = layout
        self.existingIds = existingIds
    }

    /// A new file at `path`, which appears only when `finish()` succeeds.
    public static func create(_ path: String, model: String, width: Int, layout: EmbeddingLayout) throws -> EmbeddingWriter {
        let file = try HDF5File.create(path)
        let writer = EmbeddingWriter(path: path, file: file, width: width, layout: layout, existingIds: [])
        try writer.createDatasets(model: model)
        return writer
    }

    /// The file at `path` opened to add items (created when missing), after checking that its
    /// layout is this run's; rows a crash left past its last id are dropped.
    public static func extend(_ path: String, model: String, width: Int, layout: EmbeddingLayout) throws -> EmbeddingWriter {
        if FileManager.default.fileExists(atPath: path) {
            do { try HDF5File.openReadOnly(path).close() } catch {
                throw CommandError("\(path): exists and is not a readable HDF5 file (\(error)); choose another --out")
            }
        }
        let file = try HDF5File.openForAppend(path)
        let root = file.root
        guard try root.contains("ids") else {
            let writer = EmbeddingWriter(path: path, file: file, width: width, layout: layout, existingIds: [])
            try writer.createDatasets(model: model)
            return writer
        }
        let wanted = [("layout_version", layoutVersion), ("d_model", width)] + layout.attributes.map { ($0.name, $0.value) }
        for (name, value) in wanted {
            let found = try root.intAttribute(name)
            if found != value {
                file.discard()
                throw CommandError("\(path): existing file has \(name) \(found.map(String.init) ?? "missing") where this run needs \(value); "
                    + "left untouched, choose another --out")
            }
        }
        let ids = try root.dataset("ids").readStrings()
        for name in ["mean"] + layout.stringColumns { try root.dataset(name).resize(rows: ids.count) }
        return EmbeddingWriter(path: path, file: file, width: width, layout: layout, existingIds: Set(ids))
    }

    /// Why `id` cannot name a dataset under the per-item group, or nil when it can.
    public static func datasetNameProblem(_ id: String, group: String) -> String? {
        id.contains("/") || id == "." || id == ".." || id.isEmpty ? "id '\(id)' cannot name an HDF5 dataset under /\(group)" : nil
    }

    private func createDatasets(model: String) throws {
        let root = file.root
        try root.createExtendible("ids", .string)
        for name in layout.stringColumns { try root.createExtendible(name, .string) }
        try root.createExtendible("mean", .float32, columns: width)
        try root.setAttribute("model", model)
        try root.setAttribute("d_model", width)
        for (name, value) in layout.attributes { try root.setAttribute(name, value) }
        try root.setAttribute("layout_version", Self.layoutVersion)
        try file.flush()
    }

    /// Appends a batch of items, with their per-item states when `perItem`, then flushes.
    public func append(_ items: [EmbeddingItem], perItem: Bool) throws {
        guard !items.isEmpty else { return }
        let root = file.root
        var means: [Float] = []
        means.reserveCapacity(items.count * width)
        for item in items {
            let (length, d) = (item.states.size(1), item.states.size(2))
            precondition(d == width, "embedding of width \(d) for a file of width \(width)")
            let rows = item.states.pointer + (item.row * length + item.positions.lowerBound) * d
            means += columnMeans(rows, count: item.positions.count, width: d)
            if perItem {
                let name = "\(layout.perItemGroup)/\(item.id)"
                if try root.contains(name) { try root.remove(name) }
                let states = Tensor(uninitialized: [item.positions.count, d])
                states.pointer.update(from: rows, count: item.positions.count * d)
                try root.write(name, states)
            }
        }
        try root.dataset("mean").append(rows: means)
        for (c, name) in layout.stringColumns.enumerated() { try root.dataset(name).append(items.map { $0.columns[c] }) }
        try root.dataset("ids").append(items.map(\.id))
        try file.flush()
    }

    /// Closes the file (a created one then appears at `path`).
    public func finish() throws {
        try file.close()
    }
}
