import SequoiaModels

/// A backbone and its task head: the probability of the outcome for each prediction window.
public struct TimelineScorer {
    /// The backbone giving representations.
    public let backbone: any Backbone
    /// The head turning a representation into a probability.
    public let head: TaskHead
    /// Windows per forward pass.
    public let batchSize: Int

    /// A scorer running `batchSize` (> 0) windows at a time.
    public init(backbone: any Backbone, head: TaskHead, batchSize: Int) {
        precondition(batchSize > 0, "batch size must be positive")
        self.backbone = backbone
        self.head = head
        self.batchSize = batchSize
    }

    /// One probability per window, in the order given; `progress` hears how many were finished.
    public func probabilities(_ windows: [[Int32]], progress: ((Int) -> Void)? = nil) -> [Double] {
        let (features, _) = TimelineRepresentations.compute(backbone, sequences: windows, batchSize: batchSize, progress: progress)
        return head.probabilities(features)
    }
}
