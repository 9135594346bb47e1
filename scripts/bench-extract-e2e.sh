#!/usr/bin/env bash
# End-to-end throughput of `concord extract --json` over the shared newswire corpus
# (../shared/data/news/*.jsonl.gz, unzipped once into a temporary folder as plain JSON
# lines): reading, parsing, extraction and writing the JSON lines, three runs; prints the
# median MB/s (MB of plain JSON lines read) and articles/s. Needs ../shared beside the
# repository (or SHARED=DIR). BIN=PATH measures another build instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
binary=${BIN:-target/release/concord}
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
fi
python3 - "$shared/data/news" "$binary" <<'PY'
import glob, gzip, os, statistics, subprocess, sys, tempfile, time
news, binary = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(news, "*.jsonl.gz")))
if not files:
    sys.exit(f"no *.jsonl.gz in {news}: this benchmark reads ../shared/data/news")
with tempfile.TemporaryDirectory() as plain:
    nbytes = narticles = 0
    for f in files:
        data = gzip.open(f).read()
        nbytes += len(data)
        narticles += data.count(b"\n")
        name = os.path.basename(f)[: -len(".gz")]
        with open(os.path.join(plain, name), "wb") as out:
            out.write(data)
    times = []
    for run in range(3):
        start = time.perf_counter()
        subprocess.run([binary, "extract", "--json", plain], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
median = statistics.median(times)
print(f"extract --json of {narticles} articles ({nbytes/1e6:.1f} MB of JSON lines), output to /dev/null")
print("runs: " + ", ".join(f"{t:.2f} s" for t in times))
print(f"median: {nbytes/1e6/median:.1f} MB/s, {narticles/median:,.0f} articles/s")
PY
