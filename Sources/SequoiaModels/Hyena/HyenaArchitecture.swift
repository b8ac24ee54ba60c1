extension ModelArchitecture {
    /// HyenaDNA (HazyResearch standalone / LongSafari HF port), order 2.
    public static let hyena = ModelArchitecture(
        name: "hyena", summary: "HyenaDNA: implicit long convolutions (FFT) with gating, causal",
        referenceNames: ["hyenadna", "HyenaDNAForCausalLM"]) { data, rng in
            try HyenaDNAForCausalLM(configData: data, rng: &rng)
        }
}
