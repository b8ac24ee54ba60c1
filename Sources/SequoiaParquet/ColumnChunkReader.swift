/// Reads one column chunk of a flat column: its optional dictionary page and its data pages (v1 or v2),
/// checking every size against the chunk and every count against the chunk's metadata.
struct ColumnChunkReader {
    /// The whole file.
    let file: UnsafeRawBufferPointer
    /// Where the footer starts: no page may reach past it.
    let dataEnd: Int
    let meta: ColumnMetaData
    let isOptional: Bool

    func read<D: ValueDecoder>(_ decoder: D) throws -> [D.Value?] {
        let (start, end) = try chunkRange()
        let expected = Int(meta.valueCount)
        var result: [D.Value?] = []
        result.reserveCapacity(expected)
        var dictionary: DictionaryDecoder<D.Value>?
        var values: [D.Value] = [], levels: [UInt32] = []
        var position = start, page = 0
        while result.count < expected {
            guard position < end else {
                throw ParquetError("column chunk ends after \(result.count) of its \(expected) values")
            }
            do {
                var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: file[position..<end]))
                let header = try PageHeader(&reader)
                let bodyStart = position + reader.position
                guard header.compressedSize <= end - bodyStart else {
                    throw ParquetError("page of \(header.compressedSize) bytes runs past the column chunk")
                }
                let body = UnsafeRawBufferPointer(rebasing: file[bodyStart..<bodyStart + header.compressedSize])
                position = bodyStart + header.compressedSize
                switch PageHeader.Kind(rawValue: header.kind) {
                case .dictionaryPage:
                    guard dictionary == nil else { throw ParquetError("second dictionary page in one column chunk") }
                    var entries: [D.Value] = []
                    try withDecompressed(body, size: header.uncompressedSize) { data in
                        try decoder.decode(.plain, data, count: header.valueCount, into: &entries)
                    }
                    dictionary = DictionaryDecoder(values: entries)
                case .dataPage, .dataPageV2:
                    values.removeAll(keepingCapacity: true)
                    try readDataPage(header, body, decoder, &dictionary, &values, &levels)
                    guard header.valueCount <= expected - result.count else {
                        throw ParquetError("pages hold more than the chunk's \(expected) values")
                    }
                    if isOptional {
                        var next = 0
                        for level in levels.prefix(header.valueCount) {
                            if level == 0 {
                                result.append(nil)
                            } else {
                                result.append(values[next])
                                next += 1
                            }
                        }
                    } else {
                        result.append(contentsOf: values.lazy.map { Optional($0) })
                    }
                case .indexPage, nil:
                    break
                }
            } catch let error as ParquetError {
                throw ParquetError("page \(page): \(error.description)")
            }
            page += 1
        }
        return result
    }

    /// The chunk's byte range: from its dictionary page (when it has one) over its compressed size.
    private func chunkRange() throws -> (start: Int, end: Int) {
        if let path = meta.filePath { throw ParquetError("column data in another file (\(path)) is not supported") }
        var start = meta.dataPageOffset
        if let dictionary = meta.dictionaryPageOffset, dictionary > 0, dictionary < start { start = dictionary }
        let size = meta.totalCompressedSize
        guard start >= 4, size >= 0, start <= Int64(dataEnd), size <= Int64(dataEnd) - start else {
            throw ParquetError("column chunk at byte \(start) of \(size) bytes lies outside the file's \(dataEnd) bytes of data")
        }
        return (Int(start), Int(start + size))
    }

    /// Decodes a data page's definition levels into `levels` and its non-null values into `values`.
    private func readDataPage<D: ValueDecoder>(_ header: PageHeader, _ body: UnsafeRawBufferPointer, _ decoder: D,
                                               _ dictionary: inout DictionaryDecoder<D.Value>?,
                                               _ values: inout [D.Value], _ levels: inout [UInt32]) throws {
        let count = header.valueCount
        var present = count
        if header.kind == PageHeader.Kind.dataPage.rawValue {
            try withDecompressed(body, size: header.uncompressedSize) { data in
                var rest = data
                if isOptional {
                    guard header.definitionLevelEncoding == Encoding.rle.rawValue else {
                        throw ParquetError("definition levels in \(Encoding.name(of: header.definitionLevelEncoding)) are not supported")
                    }
                    let split = try LevelDecoder.prefixed(data)
                    present = try LevelDecoder.definitionLevels(split.levels, count: count, into: &levels)
                    rest = split.rest
                }
                try decodeValues(header.encoding, rest, present, decoder, &dictionary, &values)
            }
        } else {
            let levelBytes = header.repetitionLevelsLength + header.definitionLevelsLength
            guard header.repetitionLevelsLength == 0 else { throw ParquetError("flat column page has repetition levels") }
            guard levelBytes <= body.count, levelBytes <= header.uncompressedSize else {
                throw ParquetError("levels of \(levelBytes) bytes run past the page's \(body.count)")
            }
            if isOptional {
                let levelData = UnsafeRawBufferPointer(rebasing: body[0..<levelBytes])
                present = try LevelDecoder.definitionLevels(levelData, count: count, into: &levels)
            } else if levelBytes > 0 {
                throw ParquetError("required column page has definition levels")
            }
            guard present == count - header.nullCount else {
                throw ParquetError("page says \(header.nullCount) nulls, its levels say \(count - present)")
            }
            let valueBytes = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
            if header.isCompressed {
                try withDecompressed(valueBytes, size: header.uncompressedSize - levelBytes) { data in
                    try decodeValues(header.encoding, data, present, decoder, &dictionary, &values)
                }
            } else {
                try decodeValues(header.encoding, valueBytes, present, decoder, &dictionary, &values)
            }
        }
    }

    private func decodeValues<D: ValueDecoder>(_ rawEncoding: Int32, _ data: UnsafeRawBufferPointer, _ count: Int, _ decoder: D,
                                               _ dictionary: inout DictionaryDecoder<D.Value>?, _ values: inout [D.Value]) throws {
        guard let encoding = Encoding(rawValue: rawEncoding) else {
            throw ParquetError("unknown encoding \(rawEncoding)")
        }
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard dictionary != nil else { throw ParquetError("dictionary-encoded page without a dictionary page") }
            try dictionary!.decode(data, count: count, into: &values)
        default:
            try decoder.decode(encoding, data, count: count, into: &values)
        }
    }

    /// Calls `body` with the page's bytes after decompression (the file's own bytes when uncompressed).
    private func withDecompressed(_ data: UnsafeRawBufferPointer, size: Int,
                                  _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if meta.codec == CompressionCodec.uncompressed.rawValue {
            guard data.count == size else { throw ParquetError("uncompressed page holds \(data.count) bytes, header says \(size)") }
            return try body(data)
        }
        let output = try Decompression.decompress(data, codec: meta.codec, size: size)
        try output.withUnsafeBytes(body)
    }
}
