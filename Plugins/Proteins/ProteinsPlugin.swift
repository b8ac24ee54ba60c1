import SequoiaKit

/// LC-PLM-style protein language models: BiMamba-S masked-LM training, embeddings to HDF5,
/// protein-protein-interaction graph contexts, and linear probes.
public struct ProteinsPlugin: DomainPlugin {
    public init() {}
    public let name = "proteins"
    public let summary = "protein language models (LC-PLM, BiMamba-S): train, embed, probe"
    public var jobs: [Job] { [trainJob, embedJob, probeJob] }
}
