import Foundation

/// HyenaDNA's config, with the field names of the LongSafari HF port's `HyenaConfig`.
public struct HyenaConfig: Codable, Sendable {
    public var d_model: Int
    public var n_layer: Int
    /// MLP width; the HF port's default (null) means 4 * d_model.
    public var d_inner: Int
    public var vocab_size: Int
    /// l_max: the implicit filter and its positional buffers are this long; inputs may not be longer.
    public var max_seq_len: Int
    /// Width of the positional features fed to the filter MLP: time plus (emb_dim - 1) / 2 cos/sin bands.
    public var emb_dim: Int
    /// Width of the filter MLP.
    public var filter_order: Int
    public var short_filter_order: Int
    /// Initial frequency w of the filter's Sin activations.
    public var activation_freq: Float
    public var hyena_order: Int
    public var layer_norm_epsilon: Float
    public var pad_vocab_size_multiple: Int
    /// Whether the long convolution adds the skip term v * filter_fn.bias.
    public var use_bias: Bool
    /// Whether the Sin frequency is a trained (and stored) parameter.
    public var train_freq: Bool
    public var num_inner_mlps: Int
    public var embed_dropout: Float
    public var hyena_dropout: Float
    public var initializer_range: Float

    public init(d_model: Int, n_layer: Int, d_inner: Int, vocab_size: Int, max_seq_len: Int,
                emb_dim: Int = 3, filter_order: Int = 64, short_filter_order: Int = 3,
                activation_freq: Float = 1, hyena_order: Int = 2, layer_norm_epsilon: Float = 1e-5,
                pad_vocab_size_multiple: Int = 8, use_bias: Bool = true, train_freq: Bool = true,
                num_inner_mlps: Int = 2, embed_dropout: Float = 0.1, hyena_dropout: Float = 0,
                initializer_range: Float = 0.02) {
        self.d_model = d_model
        self.n_layer = n_layer
        self.d_inner = d_inner
        self.vocab_size = vocab_size
        self.max_seq_len = max_seq_len
        self.emb_dim = emb_dim
        self.filter_order = filter_order
        self.short_filter_order = short_filter_order
        self.activation_freq = activation_freq
        self.hyena_order = hyena_order
        self.layer_norm_epsilon = layer_norm_epsilon
        self.pad_vocab_size_multiple = pad_vocab_size_multiple
        self.use_bias = use_bias
        self.train_freq = train_freq
        self.num_inner_mlps = num_inner_mlps
        self.embed_dropout = embed_dropout
        self.hyena_dropout = hyena_dropout
        self.initializer_range = initializer_range
    }

    /// Fields with HF-port defaults may be absent (they take those defaults); the sizes may not.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(d_model: try c.decode(Int.self, forKey: .d_model),
                  n_layer: try c.decode(Int.self, forKey: .n_layer),
                  d_inner: 0,
                  vocab_size: try c.decode(Int.self, forKey: .vocab_size),
                  max_seq_len: try c.decode(Int.self, forKey: .max_seq_len))
        d_inner = try c.decodeIfPresent(Int.self, forKey: .d_inner) ?? 4 * d_model
        emb_dim = try c.decodeIfPresent(Int.self, forKey: .emb_dim) ?? emb_dim
        filter_order = try c.decodeIfPresent(Int.self, forKey: .filter_order) ?? filter_order
        short_filter_order = try c.decodeIfPresent(Int.self, forKey: .short_filter_order) ?? short_filter_order
        activation_freq = try c.decodeIfPresent(Float.self, forKey: .activation_freq) ?? activation_freq
        hyena_order = try c.decodeIfPresent(Int.self, forKey: .hyena_order) ?? hyena_order
        layer_norm_epsilon = try c.decodeIfPresent(Float.self, forKey: .layer_norm_epsilon) ?? layer_norm_epsilon
        pad_vocab_size_multiple = try c.decodeIfPresent(Int.self, forKey: .pad_vocab_size_multiple) ?? pad_vocab_size_multiple
        use_bias = try c.decodeIfPresent(Bool.self, forKey: .use_bias) ?? use_bias
        train_freq = try c.decodeIfPresent(Bool.self, forKey: .train_freq) ?? train_freq
        num_inner_mlps = try c.decodeIfPresent(Int.self, forKey: .num_inner_mlps) ?? num_inner_mlps
        embed_dropout = try c.decodeIfPresent(Float.self, forKey: .embed_dropout) ?? embed_dropout
        hyena_dropout = try c.decodeIfPresent(Float.self, forKey: .hyena_dropout) ?? hyena_dropout
        initializer_range = try c.decodeIfPresent(Float.self, forKey: .initializer_range) ?? initializer_range
    }

    /// Embedding and LM-head rows: vocab_size rounded up to a multiple of pad_vocab_size_multiple.
    public var paddedVocabSize: Int {
        let m = max(1, pad_vocab_size_multiple)
        return (vocab_size + m - 1) / m * m
    }

    /// Throws on values the reference cannot build (or we do not support).
    public func validate() throws {
        guard hyena_order == 2 else {
            throw ModelConfigError("hyena_order \(hyena_order) is not supported (only order 2, as in every HyenaDNA checkpoint)")
        }
        guard short_filter_order == 3 else {
            throw ModelConfigError("short_filter_order \(short_filter_order): the references hard-code a kernel of 3 (padding 2)")
        }
        guard emb_dim >= 3 && emb_dim % 2 == 1 else {
            throw ModelConfigError("emb_dim \(emb_dim) must be odd and at least 3 (time, then cos and sin bands)")
        }
        for (name, value) in [("d_model", d_model), ("n_layer", n_layer), ("d_inner", d_inner), ("vocab_size", vocab_size),
                              ("max_seq_len", max_seq_len), ("filter_order", filter_order)] where value < 1 {
            throw ModelConfigError("\(name) must be positive, got \(value)")
        }
        guard num_inner_mlps >= 0 else { throw ModelConfigError("num_inner_mlps must be >= 0, got \(num_inner_mlps)") }
    }
}
