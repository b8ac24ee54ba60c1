extension RGBImage {
    /// Scaled to width x height by averaging the source pixels each target pixel covers.
    public func resized(width w: Int, height h: Int) -> RGBImage {
        var out = RGBImage(width: w, height: h)
        for y in 0..<h {
            let y0 = y * height / h, y1 = max(y0 + 1, (y + 1) * height / h)
            for x in 0..<w {
                let x0 = x * width / w, x1 = max(x0 + 1, (x + 1) * width / w)
                var sum = (0, 0, 0)
                for sy in y0..<y1 {
                    for sx in x0..<x1 {
                        let p = (sy * width + sx) * 3
                        sum.0 += Int(pixels[p]); sum.1 += Int(pixels[p + 1]); sum.2 += Int(pixels[p + 2])
                    }
                }
                let n = (y1 - y0) * (x1 - x0), q = (y * w + x) * 3
                out.pixels[q] = UInt8(sum.0 / n); out.pixels[q + 1] = UInt8(sum.1 / n); out.pixels[q + 2] = UInt8(sum.2 / n)
            }
        }
        return out
    }

    /// Copies `image` with its top-left corner at (x, y), clipped to this image.
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        for row in 0..<image.height where (0..<height).contains(y + row) {
            for column in 0..<image.width where (0..<width).contains(x + column) {
                let s = (row * image.width + column) * 3, d = ((y + row) * width + x + column) * 3
                pixels[d] = image.pixels[s]; pixels[d + 1] = image.pixels[s + 1]; pixels[d + 2] = image.pixels[s + 2]
            }
        }
    }

    /// Draws `text` (digits, ':', '.', '#', '-', ' ') in white with a 5x7 bitmap font scaled by `scale`.
    public mutating func draw(_ text: String, x: Int, y: Int, scale: Int = 2) {
        var cursor = x
        for character in text {
            let rows = Self.glyphs[character] ?? Self.glyphs[" "]!
            for (r, bits) in rows.enumerated() {
                for c in 0..<5 where bits & (1 << (4 - c)) != 0 {
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            let px = cursor + c * scale + dx, py = y + r * scale + dy
                            guard (0..<width).contains(px), (0..<height).contains(py) else { continue }
                            let d = (py * width + px) * 3
                            pixels[d] = 255; pixels[d + 1] = 255; pixels[d + 2] = 255
                        }
                    }
                }
            }
            cursor += 6 * scale
        }
    }

    /// Width in pixels of `text` drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 2) -> Int { text.count * 6 * scale }

    private static let glyphs: [Character: [UInt8]] = [
        "0": [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E], "1": [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        "2": [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F], "3": [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        "4": [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02], "5": [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        "6": [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E], "7": [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        "8": [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E], "9": [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ":": [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00], ".": [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        "#": [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A], "-": [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        " ": [0, 0, 0, 0, 0, 0, 0],
    ]
}
