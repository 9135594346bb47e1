#!/usr/bin/env bash
# Whole `concord search` processes (start-up included) on an index of the shared newswire
# corpus (../shared/data/news/): ingests it into a temporary index, then runs 100 searches
# of five kinds and prints the median and 90th percentile. Needs ../shared (or SHARED=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./target/release/concord --index "$work/index" ingest --json "$shared/data/news" > /dev/null
python3 - ./target/release/concord "$work/index" <<'PY'
import statistics, subprocess, sys, time
binary, index = sys.argv[1], sys.argv[2]
queries = [["oil prices"], ["--party", "Chrysler", "--min", "10M"], ["kind:investment value:>50M"],
           ["--facets", "bank"], ["--articles", "merger"]]
times = []
for _ in range(20):
    for q in queries:
        start = time.perf_counter()
        subprocess.run([binary, "--index", index, "search", "--json", *q], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
times.sort()
print(f"{len(times)} concord search processes: median {statistics.median(times)*1000:.1f} ms, "
      f"p90 {times[int(len(times)*0.9)]*1000:.1f} ms")
PY
