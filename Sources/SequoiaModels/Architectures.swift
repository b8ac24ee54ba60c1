/// The built-in model families. Each lives in its own folder and adds itself here.
let builtinArchitectures: [ModelArchitecture] = [
    MambaLanguageModel.architecture,
    BiMambaLanguageModel.architecture,
    .hyena,
    .attention,
]
