"""PyTorch side of the EHR benchmark: the model `sequoia ehr train` built, trained and scored on
batches of exactly the shapes Sequoia's run used, timed on this CPU with 2 threads. Prints one JSON object.

The batch shapes come from the data, not from Sequoia's output: a window's token count depends only
on how many events it holds and how many consecutive-event gaps are a day or longer (one time token
each; codes and value bins are one token per event), so the windows' lengths and event counts are
recomputed here from the events' subject_id and time columns with the tokenizer's truncation rule
and the same hashed train split. `--expect` checks them against the totals Sequoia printed. The
token ids themselves are random (they do not change the cost of a step).

train   `--steps` steps of batch `--batch` (default 8) drawn from epoch-wise shuffles of the train
        windows, each right-padded to its longest row; next-token cross-entropy ignoring padding,
        gradient clipping at 1.0 and an AdamW step, as Sequoia's Trainer does.
score   one window per label (static facts and events strictly before the prediction time), sorted by
        length, batches of `--score-batch` (default 32): a no-grad forward to the last real token's
        final hidden state and a logistic head. For mamba also `score_scan`: the same through mambapy's scan.

mamba      transformers MambaForCausalLM; training through mambapy's parallel scan (use_mambapy=True),
           scoring through transformers' sequential path (what it runs in eval mode) and through the scan.
hyena      the HyenaDNA operator of torch_backbones.py with the config's filter order.
attention  transformers LlamaForCausalLM, eager attention.
"""
import argparse, json, math, os, sys, time

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

DAY_US = 86_400_000_000
MASK64 = (1 << 64) - 1
SPLIT_SEED = 0x5EC0_01A5_EED5_0001  # SubjectSplit.hashSeed


def read_table(path, columns):
    if path.endswith(".parquet"):
        return pq.read_table(path, columns=columns)
    return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(include_columns=columns))


def micros(column):
    """int64 microseconds and a validity mask of a timestamp (or timestamp-like string) column."""
    if not pa.types.is_timestamp(column.type):
        column = column.cast(pa.timestamp("us"))
    values = column.cast(pa.int64())
    return values.fill_null(0).to_numpy(), column.is_valid().to_numpy(zero_copy_only=False)


def hashed_split(subject_id):
    """SubjectSplit.hashed: 0 tuning, 1 held_out, else train."""
    z = (subject_id + SPLIT_SEED + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    z ^= z >> 31
    return {0: "tuning", 1: "held_out"}.get(z % 10, "train")


class Timelines:
    """Per subject (sorted by id, rows in file order): the times and where a time token goes."""

    def __init__(self, events_path, time_tokens):
        t = read_table(events_path, ["subject_id", "time"])
        ids = t["subject_id"].to_numpy()
        times, valid = micros(t["time"])
        change = np.flatnonzero(np.diff(ids)) + 1
        starts, ends = np.r_[0, change], np.r_[change, len(ids)]
        # gap[i]: a time token sits before event i (timed, a day or more after the timed event before it).
        gap = np.zeros(len(ids), dtype=bool)
        if time_tokens != "none":
            gap[1:] = valid[1:] & valid[:-1] & ((times[1:] - times[:-1]) // DAY_US >= 1)
        gap[starts] = False
        self.ranges = {int(ids[s]): (int(s), int(e)) for s, e in zip(starts, ends)}
        self.times = np.where(valid, times, np.iinfo(np.int64).min)
        self.gap = gap
        self.gap_prefix = np.r_[0, np.cumsum(gap)]

    def encoded_length(self, start, end, max_length):
        """TimelineTokenizer.encode(events[start:end], maxLength).count."""
        room, count, i = max_length - 1, 0, end
        while i > start and count < room:
            i -= 1
            count += 1
            if i > start and count + 2 <= room and self.gap[i]:
                count += 1
        return count + 1

    def full_length(self, start, end):
        return 1 + (end - start) + int(self.gap_prefix[end] - self.gap_prefix[start + 1]) if end > start else 1

    def events_covered(self, start, end, max_length):
        """EncodedTimelines.eventsCovered: the longest suffix whose tokens fit whole."""
        if self.full_length(start, end) <= max_length:
            return end - start
        low, high = start + 1, end
        while low < high:
            mid = (low + high) // 2
            if self.full_length(mid, end) <= max_length:
                high = mid
            else:
                low = mid + 1
        return end - low

    def train_windows(self, max_length):
        lengths, events = [], []
        for sid in sorted(self.ranges):
            start, end = self.ranges[sid]
            if end > start and hashed_split(sid) == "train":
                lengths.append(self.encoded_length(start, end, max_length))
                events.append(self.events_covered(start, end, max_length))
        return np.array(lengths), np.array(events)

    def label_windows(self, labels_path, max_length):
        t = read_table(labels_path, ["subject_id", "prediction_time"])
        ids = t["subject_id"].to_numpy()
        times, _ = micros(t["prediction_time"])
        lengths = []
        for sid, when in zip(ids.tolist(), times.tolist()):
            start, end = self.ranges[sid]
            cut = start + int(np.searchsorted(self.times[start:end], when, side="left"))
            lengths.append(self.encoded_length(start, cut, max_length))
        return np.array(lengths), len(set(ids.tolist()))


def build(config, vocab, max_length):
    arch = config["sequoia_backbone"]
    if arch == "mamba":
        import transformers
        cfg = transformers.MambaConfig(vocab_size=vocab, hidden_size=config["hidden_size"], state_size=config["state_size"],
                                       num_hidden_layers=config["num_hidden_layers"], expand=config["expand"],
                                       conv_kernel=config["conv_kernel"], tie_word_embeddings=config.get("tie_word_embeddings", True),
                                       pad_vocab_size_multiple=config.get("pad_vocab_size_multiple", 8), use_mambapy=True)
        model = transformers.MambaForCausalLM(cfg)
        return model, lambda ids: model(input_ids=ids).logits, lambda ids: model.backbone(input_ids=ids, use_cache=False).last_hidden_state
    if arch == "attention":
        import transformers
        cfg = transformers.LlamaConfig(vocab_size=vocab, hidden_size=config["hidden_size"],
                                       intermediate_size=config["intermediate_size"],
                                       num_hidden_layers=config["num_hidden_layers"],
                                       num_attention_heads=config["num_attention_heads"],
                                       num_key_value_heads=config.get("num_key_value_heads", config["num_attention_heads"]),
                                       max_position_embeddings=max(config.get("max_position_embeddings", max_length), max_length),
                                       rope_theta=config.get("rope_theta", 10000.0),
                                       tie_word_embeddings=config.get("tie_word_embeddings", True), attn_implementation="eager")
        model = transformers.LlamaForCausalLM(cfg)
        return model, lambda ids: model(input_ids=ids).logits, lambda ids: model.model(input_ids=ids).last_hidden_state
    if arch == "hyena":
        from torch_backbones import HyenaLM, HyenaOperator
        d, l_max = config["d_model"], max(config.get("max_seq_len", max_length), max_length)
        model = HyenaLM(d, config["n_layer"], config["d_inner"], l_max, vocab)
        for layer in model.layers:
            layer.mixer = HyenaOperator(d, l_max, order=config.get("filter_order", 64), emb_dim=config.get("emb_dim", 5))

        def hidden(ids):
            h = model.emb(ids)
            for layer in model.layers:
                h = layer(h)
            return model.ln_f(h)
        return model, model, hidden
    raise SystemExit(f"unknown sequoia_backbone {arch}")


def padded_batch(lengths, vocab, generator):
    width = int(lengths.max())
    ids = torch.zeros(len(lengths), width, dtype=torch.long)
    labels = torch.full((len(lengths), width), -100, dtype=torch.long)
    for row, n in enumerate(lengths.tolist()):
        tokens = torch.randint(3, vocab, (n,), generator=generator)
        ids[row, :n] = tokens
        labels[row, :n] = tokens
    return ids, labels


def train(model, logits_of, lengths, events, vocab, steps, batch, lr, seed):
    rng = np.random.default_rng(seed)
    generator = torch.Generator().manual_seed(seed)
    order, cursor = rng.permutation(len(lengths)), 0
    batches = []
    for _ in range(steps):  # epoch-wise shuffles, the last draw of an epoch holding the remainder (EpochOrder)
        if cursor >= len(order):
            order, cursor = rng.permutation(len(lengths)), 0
        picked = order[cursor:cursor + batch]
        cursor += len(picked)
        batches.append((padded_batch(lengths[picked], vocab, generator), int(lengths[picked].sum()), int(events[picked].sum())))
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.1)
    t0 = time.perf_counter()
    for (ids, labels), _, _ in batches:
        optimizer.zero_grad(set_to_none=True)
        logits = logits_of(ids)
        loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    seconds = time.perf_counter() - t0
    tokens, n_events = sum(b[1] for b in batches), sum(b[2] for b in batches)
    return {"steps": steps, "seconds": seconds, "tokens": tokens, "events": n_events, "tokens_per_s": tokens / seconds,
            "events_per_s": n_events / seconds, "padded_tokens": sum(b[0][0].numel() for b in batches)}


def score(model, hidden_of, lengths, subjects, vocab, batch, seed, scan=False):
    generator = torch.Generator().manual_seed(seed)
    order = np.lexsort((np.arange(len(lengths)), lengths))
    batches = [(order[s:s + batch], padded_batch(lengths[order[s:s + batch]], vocab, generator)[0])
               for s in range(0, len(order), batch)]
    width = hidden_of(batches[0][1][:1, :1]).shape[-1]
    head = torch.randn(width) / math.sqrt(width)
    probabilities = torch.empty(len(lengths))
    model.train(scan)  # Mamba takes mambapy's scan only in training mode; it has no dropout, so outputs are the same
    t0 = time.perf_counter()
    with torch.no_grad():
        for rows, ids in batches:
            h = hidden_of(ids)
            last = h[torch.arange(len(rows)), torch.as_tensor(lengths[rows] - 1)]
            probabilities[torch.as_tensor(rows)] = torch.sigmoid(last @ head)
    seconds = time.perf_counter() - t0
    return {"labels": len(lengths), "subjects": subjects, "seconds": seconds, "subjects_per_s": subjects / seconds,
            "labels_per_s": len(lengths) / seconds}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True, help="the folder `sequoia ehr train` wrote (config.json, tokenizer.json, ehr.json)")
    p.add_argument("--events", required=True)
    p.add_argument("--labels", help="labels to score (omit to skip scoring)")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--score-batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--expect", help="WINDOWS,TOKENS,EVENTS of the train windows, as `sequoia ehr train` printed them")
    a = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    config = json.load(open(os.path.join(a.model, "config.json")))
    options = json.load(open(os.path.join(a.model, "tokenizer.json")))["options"]
    max_length = json.load(open(os.path.join(a.model, "ehr.json")))["max_length"]
    timelines = Timelines(a.events, options.get("time_tokens", "days"))
    lengths, events = timelines.train_windows(max_length)
    found = (len(lengths), int(lengths.sum()), int(events.sum()))
    if a.expect and tuple(int(x) for x in a.expect.split(",")) != found:
        raise SystemExit(f"train windows here (count, tokens, events) = {found}, Sequoia printed {a.expect}")
    # Sequoia rounds the vocabulary up to pad_vocab_size_multiple when the config names one (HF Mamba does not).
    multiple = config.get("pad_vocab_size_multiple", 1)
    vocab = math.ceil(config["vocab_size"] / multiple) * multiple
    model, logits_of, hidden_of = build(config, vocab, max_length)
    result = {"arch": config["sequoia_backbone"], "torch": torch.__version__, "train_windows": found,
              "parameters": sum(p.numel() for p in model.parameters()),
              "train": train(model, logits_of, lengths, events, vocab, a.steps, a.batch, a.lr, seed=1)}
    if a.labels:
        label_lengths, subjects = timelines.label_windows(a.labels, max_length)
        result["score"] = score(model, hidden_of, label_lengths, subjects, vocab, a.score_batch, seed=2)
        if result["arch"] == "mamba":
            result["score_scan"] = score(model, hidden_of, label_lengths, subjects, vocab, a.score_batch, seed=2, scan=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
