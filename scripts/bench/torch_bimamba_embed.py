"""PyTorch side of the proteins embedding benchmark (issue 5, item 9): LC-PLM's BiMamba-S, timed on this CPU
for embedding (forward without gradients, mean-pooled last hidden state) proteins of given lengths.
Prints one JSON object.

The model follows Tests/Fixtures/README.md's bimamba_s section: embedding (vocabulary 33 padded to a multiple
of 8); per layer h <- h + M_fwd(n) + flip(M_rev(flip(n))) with n = RMSNorm(h), where M_fwd and M_rev are
transformers' MambaMixer (Mamba1, d_state 16, d_conv 4, expand 2) sharing only in_proj and out_proj; then
norm_f. The mixers run transformers' sequential slow path (no CUDA kernels on a CPU). Weights are seeded
random: the time does not depend on their values. A protein is <cls> residues <eos>; the mean is over residues.
"""
import argparse, json, resource, time

import torch
import torch.nn as nn
import transformers
from transformers.models.mamba.modeling_mamba import MambaMixer, MambaRMSNorm


class BiMambaBlock(nn.Module):
    def __init__(self, cfg, layer_idx):
        super().__init__()
        self.norm = MambaRMSNorm(cfg.hidden_size, eps=1e-5)
        self.mamba_fwd = MambaMixer(cfg, layer_idx)
        self.mamba_rev = MambaMixer(cfg, layer_idx)
        # Weight tie: only the projections are shared; conv1d, x_proj, dt_proj, A_log, D stay per direction.
        self.mamba_rev.in_proj = self.mamba_fwd.in_proj
        self.mamba_rev.out_proj = self.mamba_fwd.out_proj

    def forward(self, h):
        n = self.norm(h)
        return h + self.mamba_fwd(n) + self.mamba_rev(n.flip(1)).flip(1)


class BiMambaS(nn.Module):
    def __init__(self, d_model, n_layer, vocab=33, pad_multiple=8, d_state=16):
        super().__init__()
        cfg = transformers.MambaConfig(hidden_size=d_model, state_size=d_state, conv_kernel=4, expand=2,
                                       num_hidden_layers=n_layer, use_bias=False, use_conv_bias=True,
                                       use_mambapy=False)
        padded = (vocab + pad_multiple - 1) // pad_multiple * pad_multiple
        self.embedding = nn.Embedding(padded, d_model)
        self.layers = nn.ModuleList(BiMambaBlock(cfg, i) for i in range(n_layer))
        self.norm_f = MambaRMSNorm(d_model, eps=1e-5)

    def forward(self, ids):
        h = self.embedding(ids)
        for layer in self.layers:
            h = layer(h)
        return self.norm_f(h)


def embed(model, ids):
    hidden = model(ids)
    return hidden[:, 1:-1].mean(dim=1)  # residues only: drop <cls> and <eos>


def check_fixture(folder):
    """Loads an LC-PLM checkpoint folder (Tests/Fixtures/bimamba_s) and returns max |ours - its final hidden state|
    relative to that state's max |value|, on its masked inputs."""
    from safetensors.torch import load_file
    cfg = json.load(open(f"{folder}/config.json"))
    model = BiMambaS(cfg["d_model"], cfg["n_layer"], vocab=cfg["vocab_size"], pad_multiple=cfg["pad_vocab_size_multiple"],
                     d_state=cfg["ssm_cfg"]["d_state"]).eval()
    prefix = "bimamba.backbone."
    weights = {k[len(prefix):].replace(".mixer.", "."): v for k, v in load_file(f"{folder}/model.safetensors").items()
               if k.startswith(prefix)}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    # The reverse projections are the forward ones (tied), so the checkpoint need not list them.
    assert all(".mamba_rev.in_proj." in k or ".mamba_rev.out_proj." in k for k in missing), missing
    assert not unexpected, unexpected
    io = load_file(f"{folder}/io.safetensors")
    want = io[f"hidden_states.{cfg['n_layer']}"]
    with torch.no_grad():
        got = model(io["masked_input_ids"].long())
    return ((got - want).abs().max() / want.abs().max()).item()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--lengths", default="100,300,1000", help="comma-separated residue counts, one timing each")
    p.add_argument("--batch", type=int, default=1, help="proteins of the same length per forward pass")
    p.add_argument("--min-seconds", type=float, default=1.0, help="repeat each length until this much time has passed")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check-fixture", metavar="DIR", help="only check the model against an LC-PLM fixture folder and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.check_fixture:
        error = check_fixture(a.check_fixture)
        print(json.dumps({"fixture": a.check_fixture, "max_relative_error": error}))
        raise SystemExit(0 if error < 1e-5 else 1)
    torch.manual_seed(a.seed)
    model = BiMambaS(a.d_model, a.n_layer).eval()
    params = sum(t.numel() for t in model.parameters())
    results = []
    with torch.no_grad():
        for length in (int(s) for s in a.lengths.split(",")):
            residues = torch.randint(4, 24, (a.batch, length))  # the 20 standard amino acids
            ids = torch.cat([torch.zeros(a.batch, 1, dtype=torch.long), residues,
                             torch.full((a.batch, 1), 2, dtype=torch.long)], dim=1)
            for _ in range(2):  # warm-up: the first calls pay one-off allocation and dispatch costs
                embed(model, ids)
            best, spent, runs = float("inf"), 0.0, 0
            while spent < a.min_seconds or runs < 3:
                start = time.perf_counter()
                out = embed(model, ids)
                elapsed = time.perf_counter() - start
                best, spent, runs = min(best, elapsed), spent + elapsed, runs + 1
            assert out.shape == (a.batch, a.d_model) and torch.isfinite(out).all()
            results.append({"length": length, "batch": a.batch, "seconds": best, "runs": runs,
                            "proteins_per_s": a.batch / best, "residues_per_s": a.batch * length / best})
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"model": "bimamba_s", "d_model": a.d_model, "n_layer": a.n_layer, "parameters": params,
                      "threads": a.threads, "results": results, "peak_rss_mb": rss,
                      "torch": torch.__version__, "transformers": transformers.__version__}))


if __name__ == "__main__":
    main()
