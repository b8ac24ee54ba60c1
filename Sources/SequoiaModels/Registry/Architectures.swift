extension ModelRegistry {
    /// The built-in families, one line each.
    func registerBuiltins() {
        register(MambaConfig.self, MambaLanguageModel.init)
        register(LcPlmConfig.self, BiMambaLanguageModel.init)
        register(HyenaConfig.self, HyenaDNAForCausalLM.init)
        register(AttentionConfig.self, AttentionLanguageModel.init)
    }
}
