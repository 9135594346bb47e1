#!/usr/bin/env bash
# Ingest throughput: `concord ingest` of the shared newswire corpus (../shared/data/news/,
# gzipped JSON lines) into a fresh index, three runs; prints the median articles/s and MB/s
# (MB of uncompressed JSON lines), extraction included. Needs ../shared beside the
# repository (or SHARED=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
python3 - "$shared/data/news" target/release/concord <<'PY'
import glob, gzip, os, statistics, subprocess, sys, tempfile, time
news, binary = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(news, "*.jsonl.gz")))
if not files:
    sys.exit(f"no *.jsonl.gz in {news}: this benchmark reads ../shared/data/news")
nbytes = sum(len(gzip.open(f).read()) for f in files)
narticles = sum(1 for f in files for _ in gzip.open(f))
times = []
for run in range(3):
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        out = subprocess.run([binary, "--index", os.path.join(tmp, "index"), "ingest", "--json", news],
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        stored = out.stdout.count('"status":"ingested"')
median = statistics.median(times)
print(f"ingest of {narticles} articles ({nbytes/1e6:.1f} MB of JSON lines); {stored} stored per run")
print("runs: " + ", ".join(f"{t:.2f} s" for t in times))
print(f"median: {narticles/median:,.0f} articles/s, {nbytes/1e6/median:.1f} MB/s")
PY
