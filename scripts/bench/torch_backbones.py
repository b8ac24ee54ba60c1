"""PyTorch side of the backbone benchmark: the same architectures and sizes as Sequoia's,
timed on this CPU. Prints one JSON object.

mamba      transformers MambaForCausalLM. Forward uses the sequential slow path; training uses
           mambapy's parallel scan (use_mambapy=True) because the slow path's backward is
           quadratic in memory traffic.
hyena      HyenaDNA's operator, written from the reference equations (Tests/Fixtures/README.md):
           the same FFT convolution of length 2L as standalone_hyenadna.py.
attention  transformers LlamaForCausalLM, eager attention (torch 1.13 has no fused SDPA).
"""
import argparse, json, math, resource, time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Sin(nn.Module):
    def __init__(self, freq):
        super().__init__()
        self.freq = freq

    def forward(self, x):
        return torch.sin(self.freq * x)


class HyenaOperator(nn.Module):
    def __init__(self, d, l_max, order=64, emb_dim=5, w=10.0):
        super().__init__()
        self.d = d
        self.in_proj = nn.Linear(d, 3 * d)
        self.out_proj = nn.Linear(d, d)
        self.short_filter = nn.Conv1d(3 * d, 3 * d, 3, padding=2, groups=3 * d)
        freq = nn.Parameter(w * torch.ones(1, order))
        self.implicit_filter = nn.Sequential(nn.Linear(emb_dim, order), Sin(freq), nn.Linear(order, order), Sin(freq),
                                             nn.Linear(order, order), Sin(freq), nn.Linear(order, d, bias=False))
        self.bias = nn.Parameter(torch.randn(d))
        t = torch.linspace(0, 1, l_max)[None, :, None]
        bands = (emb_dim - 1) // 2
        t_rescaled = torch.linspace(0, l_max - 1, l_max)[None, :, None]
        angle = 2 * math.pi * t_rescaled / l_max
        f = torch.linspace(1e-4, bands - 1, bands)[None, None]
        z = torch.cat([t, torch.cos(f * angle), -torch.sin(f * angle)], dim=-1)
        self.register_buffer("z", z)
        self.register_buffer("t", t)
        self.register_buffer("deltas", torch.linspace(math.log(1e-2) / 1.5, math.log(1e-2) / 0.3, d)[None, None])

    def forward(self, x):
        L = x.shape[1]
        u = self.in_proj(x).transpose(1, 2)
        uc = self.short_filter(u)[..., :L]
        x0, x1, v = uc.split(self.d, dim=1)
        h = self.implicit_filter(self.z[:, :L])
        k = (h * (torch.exp(-self.t[:, :L] * self.deltas.abs()) + 0.05))[0].transpose(0, 1)
        v = v * x1
        n = 2 * L
        y = torch.fft.irfft(torch.fft.rfft(v, n=n) * torch.fft.rfft(k, n=n) / n, n=n, norm="forward")[..., :L]
        y = y + v * self.bias[:, None]
        return self.out_proj((y * x0).transpose(1, 2))


class HyenaBlock(nn.Module):
    def __init__(self, d, d_inner, l_max):
        super().__init__()
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.mixer = HyenaOperator(d, l_max)
        self.fc1, self.fc2 = nn.Linear(d, d_inner), nn.Linear(d_inner, d)

    def forward(self, h):
        h = h + self.mixer(self.norm1(h))
        return h + self.fc2(F.gelu(self.fc1(self.norm2(h)), approximate="tanh"))


class HyenaLM(nn.Module):
    def __init__(self, d, layers, d_inner, l_max, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList([HyenaBlock(d, d_inner, l_max) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids):
        h = self.emb(ids)
        for layer in self.layers:
            h = layer(h)
        return self.head(self.ln_f(h))


def build(arch, d, layers, length, vocab, train):
    if arch == "hyena":
        return HyenaLM(d, layers, 4 * d, length, vocab), lambda m, ids: m(ids)
    import transformers
    if arch == "mamba":
        cfg = transformers.MambaConfig(vocab_size=vocab, hidden_size=d, state_size=16, num_hidden_layers=layers,
                                       expand=2, conv_kernel=4, use_mambapy=train)
        model = transformers.MambaForCausalLM(cfg)
    else:
        cfg = transformers.LlamaConfig(vocab_size=vocab, hidden_size=d, intermediate_size=4 * d, num_hidden_layers=layers,
                                       num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=max(length, 2048),
                                       attn_implementation="eager")
        model = transformers.LlamaForCausalLM(cfg)
    return model, lambda m, ids: m(input_ids=ids).logits


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", required=True, choices=["mamba", "hyena", "attention"])
    p.add_argument("--length", type=int, required=True)
    p.add_argument("--mode", required=True, choices=["forward", "train"])
    p.add_argument("--d-model", type=int, default=128)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--min-seconds", type=float, default=1.0)
    p.add_argument("--slow-scan", action="store_true", help="mamba training through HF's sequential slow path")
    a = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    vocab = 16
    model, run = build(a.arch, a.d_model, a.layers, a.length, vocab, a.mode == "train" and not a.slow_scan)
    ids = torch.randint(0, vocab, (1, a.length))

    def step():
        if a.mode == "forward":
            with torch.no_grad():
                run(model, ids)
        else:
            model.zero_grad(set_to_none=True)
            logits = run(model, ids)
            F.cross_entropy(logits[:, :-1].reshape(-1, vocab), ids[:, 1:].reshape(-1)).backward()

    step()
    runs, total, best = 0, 0.0, float("inf")
    while runs < 2 or total < a.min_seconds:
        t0 = time.perf_counter()
        step()
        dt = time.perf_counter() - t0
        best, total, runs = min(best, dt), total + dt, runs + 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": best, "tokens_per_s": a.length / best, "peak_rss_mb": rss, "torch": torch.__version__}))


if __name__ == "__main__":
    main()
