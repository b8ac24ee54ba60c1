import SequoiaKit

/// HyenaDNA-style genomic language modelling on FASTA files: train, eval, finetune, embed.
public struct GenomicsPlugin: DomainPlugin {
    public init() {}
    public let name = "genomics"
    public let summary = "genomic language models on FASTA (HyenaDNA recipe): train, eval, finetune, embed"
    public var jobs: [Job] { [trainJob, evalJob, finetuneJob, embedJob] }
}
