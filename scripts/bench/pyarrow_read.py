"""Parquet read throughput with pyarrow, measured as `SequoiaBench parquet` measures Sequoia's reader:
each file whole (pq.read_table, one thread: open, footer, every column) and each column alone (file
already open), best of the runs after a warm-up. MB/s counts file bytes (for a column: its
compressed chunks).

  python pyarrow_read.py measure [--runs N] FILE...          pyarrow alone, JSON
  python pyarrow_read.py compare SEQUOIA_BENCH [--runs N] FILE...   both sides, Markdown tables with ratios
  python pyarrow_read.py generate PATH [--rows N]            a MEDS-like file: zstd, 1M-row groups
"""
import argparse, json, os, subprocess, time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def best_of(runs, body):
    body()
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - t0)
    return best


def column_bytes(meta, index):
    return sum(meta.row_group(g).column(index).total_compressed_size for g in range(meta.num_row_groups))


def measure_file(path, runs):
    pf = pq.ParquetFile(path)
    meta = pf.metadata
    names = [meta.schema.column(i).path for i in range(meta.num_columns)]
    whole = best_of(runs, lambda: pq.read_table(path, use_threads=False))
    columns = []
    for i, name in enumerate(names):
        seconds = best_of(runs, lambda: pf.read(columns=[name], use_threads=False))
        columns.append({"name": name, "kind": str(pf.schema_arrow.field(name).type), "seconds": seconds,
                        "rows_per_s": meta.num_rows / seconds, "bytes": column_bytes(meta, i)})
    size = os.path.getsize(path)
    return {"path": path, "bytes": size, "rows": meta.num_rows, "row_groups": meta.num_row_groups, "seconds": whole,
            "rows_per_s": meta.num_rows / whole, "mb_per_s": size / 1e6 / whole, "columns": columns,
            "created_by": meta.created_by, "compression": meta.row_group(0).column(0).compression}


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def short(path):
    """The file name, with its folder when that tells shards apart (train/0.parquet)."""
    parts = os.path.normpath(path).split(os.sep)
    return "/".join(parts[-2:]) if parts[-1][0].isdigit() else parts[-1]


def compare(bench, paths, runs):
    out = subprocess.run([bench, "parquet", "--json", "--runs", str(runs)] + paths, check=True, capture_output=True,
                         text=True, env={**os.environ, "SEQUOIA_NUM_THREADS": "1"}).stdout
    ours = json.loads(out.strip().splitlines()[-1])["files"]
    theirs = [measure_file(p, runs) for p in paths]
    files, columns = [], []
    for o, t in zip(ours, theirs):
        name = os.path.relpath(o["path"]) if not o["path"].startswith("/tmp") else o["path"]
        files.append([f"`{name}`", t["created_by"].split(" (")[0], t["compression"], f"{o['rows']:,}",
                      str(o["row_groups"]), f"{o['bytes'] / 1e6:.2f}", f"{o['rows_per_s'] / 1e6:.2f}",
                      f"{o['mb_per_s']:.1f}", f"{t['rows_per_s'] / 1e6:.2f}", f"{t['mb_per_s']:.1f}",
                      f"{t['seconds'] / o['seconds']:.2f}x"])
        for oc, tc in zip(o["columns"], t["columns"]):
            assert oc["name"] == tc["name"], (oc["name"], tc["name"])
            columns.append([f"`{short(o['path'])}`", oc["name"], tc["kind"], f"{tc['bytes'] / 1e6:.2f}",
                            f"{oc['rows_per_s'] / 1e6:.2f}", f"{tc['bytes'] / 1e6 / oc['seconds']:.1f}",
                            f"{tc['rows_per_s'] / 1e6:.2f}", f"{tc['bytes'] / 1e6 / tc['seconds']:.1f}",
                            f"{tc['seconds'] / oc['seconds']:.2f}x"])
    print(table(["file", "writer", "codec", "rows", "row groups", "MB", "Sequoia M rows/s", "Sequoia MB/s",
                 "pyarrow M rows/s", "pyarrow MB/s", "Sequoia / pyarrow"], files))
    print()
    print(table(["file", "column", "arrow type", "MB (compressed)", "Sequoia M rows/s", "Sequoia MB/s",
                 "pyarrow M rows/s", "pyarrow MB/s", "Sequoia / pyarrow"], columns))


def generate(path, rows, seed=0):
    """MEDS-like events: ~100 events per subject in time order, a static row (null time) first,
    codes from a Zipf-like vocabulary of 20,000, numeric values on about a third of the rows."""
    rng = np.random.default_rng(seed)
    per_subject = rng.poisson(100, size=rows // 50) + 1
    per_subject = per_subject[np.cumsum(per_subject) <= rows]
    per_subject[-1] += rows - per_subject.sum()
    subject = np.repeat(np.arange(1, len(per_subject) + 1, dtype=np.int64) * 7 + 1000, per_subject)
    first = np.arange(rows) == np.repeat(np.cumsum(per_subject) - per_subject, per_subject)
    base = np.repeat(rng.integers(946_684_800, 1_577_836_800, size=len(per_subject)) * 1_000_000, per_subject)
    gaps = rng.exponential(3 * 86_400e6, size=rows).astype(np.int64)
    gaps[first] = 0
    elapsed = np.cumsum(gaps)
    time_us = base + elapsed - np.repeat(elapsed[np.cumsum(per_subject) - per_subject], per_subject)
    times = pa.array(time_us, type=pa.timestamp("us"), mask=first)
    vocab = np.array([f"{['ICD10CM', 'RxNorm', 'LOINC', 'CPT4'][i % 4]}/{i:06d}" for i in range(20_000)])
    ranks = np.minimum(rng.zipf(1.3, size=rows) - 1, len(vocab) - 1)
    codes = vocab[ranks]
    codes[first] = "MEDS_BIRTH"
    has_value = rng.random(rows) < 0.33
    values = pa.array(rng.normal(50, 15, size=rows).astype(np.float32), mask=~has_value)
    t = pa.table({"subject_id": subject, "time": times, "code": pa.array(codes), "numeric_value": values})
    pq.write_table(t, path, compression="zstd", row_group_size=1_000_000)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("action", choices=["measure", "compare", "generate"])
    p.add_argument("args", nargs="+")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--rows", type=int, default=5_000_000)
    a = p.parse_intermixed_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    if a.action == "measure":
        print(json.dumps({"files": [measure_file(f, a.runs) for f in a.args], "pyarrow": pa.__version__}))
    elif a.action == "compare":
        compare(a.args[0], a.args[1:], a.runs)
    else:
        generate(a.args[0], a.rows)


if __name__ == "__main__":
    main()
