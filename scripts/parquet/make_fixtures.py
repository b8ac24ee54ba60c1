#!/usr/bin/env python3
"""Writes the small Parquet fixtures in Tests/Data/parquet/ and expected.json, the values the Swift
tests compare against. The expected values come from the source rows below, never from reading the
files back, so the Swift reader is checked against what was meant to be written.

Needs pyarrow, polars and duckdb:
    python3 -m venv /tmp/pqvenv && /tmp/pqvenv/bin/pip install pyarrow polars duckdb
    /tmp/pqvenv/bin/python scripts/parquet/make_fixtures.py
"""
import base64
import datetime
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Data", "parquet")
ROWS = 60
WORDS = ["alpha", "beta", "gamma", "", "délta ✓", "beta", "alpha", "epsilon-long-value-" * 3]


def null_at(row, column):
    """Each column gets its nulls in different rows (and row 0 is never null in all of them)."""
    return (row * 7 + column * 3) % 5 == 0


def source_columns(nulls=True):
    """(name, arrow type, kind, values) with Python values; timestamps are in the arrow type's unit."""
    cols = [
        ("i32", pa.int32(), "int32", [(-1) ** r * r * 1_000_003 % 2_147_483_647 for r in range(ROWS)]),
        ("i64", pa.int64(), "int64", [r * 10**15 - 7 * r * r for r in range(ROWS)]),
        ("f32", pa.float32(), "float", [r * 0.25 - 3.5 for r in range(ROWS)]),
        ("f64", pa.float64(), "double", [r / 3.0 - 11.0 for r in range(ROWS)]),
        ("flag", pa.bool_(), "boolean", [r % 3 == 1 for r in range(ROWS)]),
        ("text", pa.string(), "string", [WORDS[r % len(WORDS)] for r in range(ROWS)]),
        ("blob", pa.binary(), "binary", [bytes([r % 256, 0, 255, r % 7]) * (r % 3) for r in range(ROWS)]),
        ("day", pa.date32(), "date", [-400 + r * 37 for r in range(ROWS)]),
        ("ts_ms", pa.timestamp("ms"), "timestamp_ms", [-86_400_001 + r * 3_600_007 for r in range(ROWS)]),
        ("ts_us", pa.timestamp("us"), "timestamp_us", [1_600_000_000_000_000 + r * 1_000_001 for r in range(ROWS)]),
        ("ts_ns", pa.timestamp("ns"), "timestamp_ns", [(r - 30) * 1_234_567_891 - 1_500 for r in range(ROWS)]),
    ]
    return [(name, typ, kind, [None if nulls and null_at(r, c) else v for r, v in enumerate(values)])
            for c, (name, typ, kind, values) in enumerate(cols)]


def arrow_table(columns, nullable=True):
    arrays, fields = [], []
    for name, typ, _, values in columns:
        if typ == pa.date32():
            values = [None if v is None else datetime.date(1970, 1, 1) + datetime.timedelta(days=v) for v in values]
            arrays.append(pa.array(values, type=typ))
        elif pa.types.is_timestamp(typ):
            arrays.append(pa.array(values, type=pa.int64()).cast(typ))
        else:
            arrays.append(pa.array(values, type=typ))
        fields.append(pa.field(name, typ, nullable=nullable))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def expected_values(kind, values):
    """JSON form: timestamps as microseconds (floor-divided), binary as base64, floating point as repr
    strings (exact when parsed with strtod, which not every JSON parser's doubles are), the rest as they are."""
    def one(v):
        if v is None:
            return None
        if kind == "timestamp_ms":
            return v * 1000
        if kind == "timestamp_ns":
            return v // 1000
        if kind == "binary":
            return base64.b64encode(v).decode()
        if kind in ("float", "double"):
            return repr(float(v))
        return v
    return [one(v) for v in values]


def kind_of(field):
    """The value kind the Swift reader should report, from pyarrow's view of the written schema."""
    t = field.type
    if pa.types.is_timestamp(t):
        return {"ms": "timestamp_ms", "us": "timestamp_us", "ns": "timestamp_ns"}[t.unit]
    return {pa.int32(): "int32", pa.int64(): "int64", pa.float32(): "float", pa.float64(): "double",
            pa.bool_(): "boolean", pa.string(): "string", pa.large_string(): "string", pa.string_view(): "string",
            pa.binary(): "binary", pa.large_binary(): "binary", pa.binary_view(): "binary", pa.date32(): "date"}[t]


def describe(path, table_name):
    """The file's schema and row groups as pyarrow reads its footer."""
    meta = pq.ParquetFile(path).metadata
    schema = pq.read_schema(path)
    codecs, encodings = set(), set()
    for g in range(meta.num_row_groups):
        for c in range(meta.num_columns):
            chunk = meta.row_group(g).column(c)
            codecs.add(chunk.compression)
            encodings.update(chunk.encodings)
    return {
        "table": table_name,
        "created_by": meta.created_by,
        "codecs": sorted(codecs),
        "encodings": sorted(encodings),
        "row_groups": [meta.row_group(g).num_rows for g in range(meta.num_row_groups)],
        "columns": [{"name": f.name, "kind": kind_of(f), "optional": f.nullable} for f in schema],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    columns = source_columns()
    table = arrow_table(columns)
    small = dict(row_group_size=25, data_page_size=256, write_batch_size=8, dictionary_pagesize_limit=4096)
    files = {}

    def write(name, tbl=table, table_name="types", **options):
        path = os.path.join(OUT, name)
        pq.write_table(tbl, path, **{**small, **options})
        files[name] = describe(path, table_name)

    for codec in ["none", "snappy", "gzip", "zstd"]:
        write(f"pyarrow_v1_dict_{codec}.parquet", compression=codec)
    write("pyarrow_v1_plain_snappy.parquet", compression="snappy", use_dictionary=False)
    write("pyarrow_v2_dict_zstd.parquet", compression="zstd", data_page_version="2.0")
    write("pyarrow_v2_plain_gzip.parquet", compression="gzip", data_page_version="2.0", use_dictionary=False)
    write("pyarrow_v2_plain_none.parquet", compression="none", data_page_version="2.0", use_dictionary=False)
    write("pyarrow_delta.parquet", compression="zstd", data_page_version="2.0", use_dictionary=False,
          column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                           "text": "DELTA_BYTE_ARRAY", "blob": "DELTA_LENGTH_BYTE_ARRAY",
                           "f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "day": "DELTA_BINARY_PACKED",
                           "ts_ns": "DELTA_BINARY_PACKED", "flag": "RLE"})
    write("pyarrow_int96.parquet", compression="snappy", use_deprecated_int96_timestamps=True)
    required = source_columns(nulls=False)
    write("pyarrow_required.parquet", tbl=arrow_table(required, nullable=False), table_name="required",
          compression="snappy")

    import polars as pl
    path = os.path.join(OUT, "polars.parquet")
    pl.from_arrow(table).write_parquet(path, compression="zstd", row_group_size=25, statistics=False)
    files["polars.parquet"] = describe(path, "types")

    import duckdb
    con = duckdb.connect()
    con.register("source", table)
    for name, version in [("duckdb.parquet", "V1"), ("duckdb_v2.parquet", "V2")]:
        path = os.path.join(OUT, name)
        con.execute(f"COPY (SELECT * FROM source) TO '{path}' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION {version})")
        files[name] = describe(path, "types")

    # A list column beside a flat one: the flat one reads, the list one is refused by name.
    nested = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "tags": pa.array([["a"], [], ["b", "c"]])})
    pq.write_table(nested, os.path.join(OUT, "nested.parquet"))

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        tables = {name: {c: expected_values(kind, v) for c, _, kind, v in cols}
                  for name, cols in [("types", columns), ("required", required)]}
        json.dump({"tables": tables, "files": files}, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
