"""Runs Sequoia's and PyTorch's backbones side by side, one process per measurement (so peak
RSS belongs to that configuration), and prints a Markdown table with the ratios.

Usage: python compare_backbones.py SEQUOIA_BENCH_BINARY [--quick] [--only mamba,hyena,attention]
"""
import json, os, resource, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
MEMORY_LIMIT = 20 << 30   # a run that needs more fails with an allocation error, not the machine
TIMEOUT = 120


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def measure(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, preexec_fn=limit_memory,
                           env={**os.environ, "SEQUOIA_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"})
    except subprocess.TimeoutExpired:
        return {"error": f"over {TIMEOUT}s"}
    for line in reversed(r.stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    text = r.stderr + r.stdout
    if "memory" in text.lower() or "alloc" in text.lower() or r.returncode in (-6, -9, 134, 137):
        return {"error": "out of memory (20 GiB limit)"}
    return {"error": f"failed ({r.returncode})"}


def cell(r, key, fmt):
    return fmt.format(r[key]) if key in r else r.get("error", "-")


def main():
    swift_bin = sys.argv[1]
    quick = "--quick" in sys.argv
    lengths = {"mamba": [1024, 4096, 16384, 65536, 262144], "hyena": [1024, 4096, 16384, 65536, 262144],
               "attention": [1024, 4096, 16384, 65536]}
    if quick:
        lengths = {k: v[:2] for k, v in lengths.items()}
    if "--only" in sys.argv:
        keep = sys.argv[sys.argv.index("--only") + 1].split(",")
        lengths = {k: v for k, v in lengths.items() if k in keep}
    rows = []
    for arch, ls in lengths.items():
        for mode in ["forward", "train"]:
            for length in ls:
                args = ["--arch", arch, "--length", str(length), "--mode", mode, "--min-seconds", "0.5"]
                ours = measure([swift_bin, "backbone"] + args)
                ref = measure([sys.executable, os.path.join(HERE, "torch_backbones.py")] + args)
                variants = [("PyTorch" + (" (mambapy scan)" if arch == "mamba" and mode == "train" else ""), ref)]
                if arch == "mamba" and mode == "train" and length <= 1024:
                    slow = measure([sys.executable, os.path.join(HERE, "torch_backbones.py")] + args + ["--slow-scan"])
                    variants.append(("PyTorch (HF slow path)", slow))
                for name, r in variants:
                    ratio = (f"{ours['tokens_per_s'] / r['tokens_per_s']:.1f}x"
                             if "tokens_per_s" in ours and "tokens_per_s" in r else "-")
                    rows.append([arch, mode, str(length), cell(ours, "tokens_per_s", "{:,.0f}"), name,
                                 cell(r, "tokens_per_s", "{:,.0f}"), ratio,
                                 cell(ours, "peak_rss_mb", "{:,.0f}"), cell(r, "peak_rss_mb", "{:,.0f}")])
                print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    header = ["backbone", "mode", "L", "Sequoia tok/s", "reference", "reference tok/s", "Sequoia / reference",
              "Sequoia peak RSS MB", "reference peak RSS MB"]
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
