/// A failure inside one page of a chunk; the file adds the path, row group and column.
struct PageError: Error {
    let page: Int
    let error: ParquetError
}

/// Reads one column chunk of a flat column: its optional dictionary page and its data pages (v1 or v2),
/// checking every size against the chunk and every count against the chunk's metadata.
struct ColumnChunkReader {
    /// The whole file.
    let file: UnsafeRawBufferPointer
    /// Where the footer starts: no page may reach past it.
    let dataEnd: Int
    let meta: ColumnMetaData
    let isOptional: Bool

    /// Appends the chunk's values to `result` (nil for nulls).
    func read<D: ValueDecoder>(_ decoder: D, into result: inout [D.Value?]) throws {
        let (start, end) = try chunkRange()
        let expected = Int(meta.valueCount), first = result.count
        // A lying footer must not make us reserve terabytes; arrays grow past this if the pages are real.
        result.reserveMore(min(expected, 1 << 24))
        var buffers = PageBuffers<D.Value>()
        var position = start, page = 0
        while result.count - first < expected {
            guard position < end else {
                throw ParquetError("column chunk ends after \(result.count - first) of its \(expected) values")
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
                    guard buffers.dictionary == nil else { throw ParquetError("second dictionary page in one column chunk") }
                    var entries: [D.Value] = []
                    try withDecompressed(body, size: header.uncompressedSize) { data in
                        try decoder.decode(.plain, data, count: header.valueCount, into: &entries)
                    }
                    buffers.dictionary = entries
                case .dataPage, .dataPageV2:
                    guard header.valueCount <= expected - (result.count - first) else {
                        throw ParquetError("pages hold more than the chunk's \(expected) values")
                    }
                    let present = try readDataPage(header, body, decoder, &buffers)
                    try buffers.appendPage(count: header.valueCount, present: present, isOptional: isOptional, to: &result)
                case .indexPage, nil:
                    break
                }
            } catch let error as ParquetError {
                throw PageError(page: page, error: error)
            }
            page += 1
        }
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

    /// Decodes a data page's definition levels and its non-null values (or dictionary indices) into `buffers`;
    /// returns the number of non-null values.
    private func readDataPage<D: ValueDecoder>(_ header: PageHeader, _ body: UnsafeRawBufferPointer, _ decoder: D,
                                               _ buffers: inout PageBuffers<D.Value>) throws -> Int {
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
                    present = try LevelDecoder.definitionLevels(split.levels, count: count, into: &buffers.levels)
                    rest = split.rest
                }
                try decodeValues(header.encoding, rest, present, decoder, &buffers)
            }
        } else {
            let levelBytes = header.repetitionLevelsLength + header.definitionLevelsLength
            guard header.repetitionLevelsLength == 0 else { throw ParquetError("flat column page has repetition levels") }
            guard levelBytes <= body.count, levelBytes <= header.uncompressedSize else {
                throw ParquetError("levels of \(levelBytes) bytes run past the page's \(body.count)")
            }
            if isOptional {
                let levelData = UnsafeRawBufferPointer(rebasing: body[0..<levelBytes])
                present = try LevelDecoder.definitionLevels(levelData, count: count, into: &buffers.levels)
            } else if levelBytes > 0 {
                throw ParquetError("required column page has definition levels")
            }
            guard present == count - header.nullCount else {
                throw ParquetError("page says \(header.nullCount) nulls, its levels say \(count - present)")
            }
            let valueBytes = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
            if header.isCompressed {
                try withDecompressed(valueBytes, size: header.uncompressedSize - levelBytes) { data in
                    try decodeValues(header.encoding, data, present, decoder, &buffers)
                }
            } else {
                try decodeValues(header.encoding, valueBytes, present, decoder, &buffers)
            }
        }
        return present
    }

    private func decodeValues<D: ValueDecoder>(_ rawEncoding: Int32, _ data: UnsafeRawBufferPointer, _ count: Int, _ decoder: D,
                                               _ buffers: inout PageBuffers<D.Value>) throws {
        guard let encoding = Encoding(rawValue: rawEncoding) else {
            throw ParquetError("unknown encoding \(rawEncoding)")
        }
        buffers.values.removeAll(keepingCapacity: true)
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionary = buffers.dictionary else {
                throw ParquetError("dictionary-encoded page without a dictionary page")
            }
            try DictionaryDecoder.indices(data, count: count, dictionarySize: dictionary.count, into: &buffers.indices)
            buffers.usesDictionary = true
        default:
            try decoder.decode(encoding, data, count: count, into: &buffers.values)
            buffers.usesDictionary = false
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
