import SequoiaKit

/// Long-context models on MEDS patient timelines (the Context Clues recipe): pretrain, fit a task head,
/// score, and evaluate with bootstrap intervals and stratification beside a count baseline.
public struct EHRPlugin: DomainPlugin {
    public init() {}
    public let name = "ehr"
    public let summary = "patient timelines from MEDS event streams: train, finetune, score, eval"
    public var jobs: [Job] { [ehrTrainJob, ehrFinetuneJob, ehrScoreJob, ehrEvalJob] }
}
