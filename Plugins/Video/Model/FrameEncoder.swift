import Foundation
import SequoiaModels
import SequoiaTensor

/// A frozen image encoder at the model's input size, turning frames into `EncodedFrame`s.
public final class FrameEncoder {
    public let encoder: any ImageEncoder
    public let inputSize: Int
    public let pooling: ProgressivePooling

    public init(encoder: any ImageEncoder, inputSize: Int, pooling: ProgressivePooling) {
        self.encoder = encoder
        self.inputSize = inputSize
        self.pooling = pooling
    }

    /// The bundled MobileNetV2 (ImageNet).
    public static func bundled(settings: VideoSettings) throws -> FrameEncoder {
        FrameEncoder(encoder: try MobileNetV2(directory: try VideoResources.folder(VideoResources.encoderFolder)),
                     inputSize: settings.inputSize, pooling: settings.pooling)
    }

    public var channels: Int { encoder.featureChannels }

    /// Images at inputSize x inputSize, with their cues -> encoded frames, in order.
    public func encode(_ images: [RGBImage], cues: [FrameCues]) -> [EncodedFrame] {
        precondition(images.count == cues.count)
        guard !images.isEmpty else { return [] }
        var rgb = [UInt8]()
        rgb.reserveCapacity(images.count * inputSize * inputSize * 3)
        for image in images {
            precondition(image.width == inputSize && image.height == inputSize, "the encoder reads \(inputSize)x\(inputSize) frames")
            rgb += image.pixels
        }
        let maps = rgb.withUnsafeBufferPointer {
            encoder.featureMap(encoder.normalized(rgb: $0.baseAddress!, count: images.count, height: inputSize, width: inputSize))
        }
        let side = maps.shape[1]
        let fine = Self.uniform(maps, stride: pooling.highStride), coarse = Self.uniform(maps, stride: pooling.lowStride)
        let global = Self.uniform(maps, stride: max(side, maps.shape[2]))
        let c = channels
        let fineCount = ProgressivePooling.cells(side, maps.shape[2], stride: pooling.highStride) * c
        let coarseCount = ProgressivePooling.cells(side, maps.shape[2], stride: pooling.lowStride) * c
        return images.indices.map { i in
            EncodedFrame(fine: Array(UnsafeBufferPointer(start: fine.pointer + i * fineCount, count: fineCount)),
                         coarse: Array(UnsafeBufferPointer(start: coarse.pointer + i * coarseCount, count: coarseCount)),
                         global: Array(UnsafeBufferPointer(start: global.pointer + i * c, count: c)),
                         cues: cues[i])
        }
    }

    /// Every frame pooled with one stride (progressive pooling with K = 1).
    private static func uniform(_ maps: Tensor, stride: Int) -> Tensor {
        ProgressivePooling(groupSize: 1, highStride: stride, lowStride: stride)(maps).tokens
    }
}
