#!/usr/bin/env bash
# `concord check` at scale: builds an index of about 110,000 articles (the shared newswire
# corpus, ../shared/data/news/, replicated five times with changed ids, sources and a marker in
# the text, so each copy is stored), then times `concord check --json` over it and prints the
# wall time and peak memory (max RSS). Needs ../shared beside the repository (or SHARED=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$shared/data/news" "$work/replicated.jsonl" <<'PY'
import glob, gzip, json, os, sys
news, out = sys.argv[1], sys.argv[2]
with open(out, "w") as f:
    for copy in range(5):
        for path in sorted(glob.glob(os.path.join(news, "*.jsonl.gz"))):
            for line in gzip.open(path, "rt"):
                a = json.loads(line)
                a["id"] = f"{a['id']}-copy{copy}"
                a["source"] = f"{a['source']} {copy}"
                a["text"] = a["text"] + f"\n\n(replica {copy})"
                f.write(json.dumps(a) + "\n")
PY
./target/release/concord --index "$work/index" ingest --json "$work/replicated.jsonl" > /dev/null
./target/release/concord --index "$work/index" stats | sed -n 4,5p
python3 - ./target/release/concord "$work/index" <<'PY'
import resource, subprocess, sys, time
binary, index = sys.argv[1], sys.argv[2]
start = time.perf_counter()
out = subprocess.run([binary, "--index", index, "check", "--json"], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"concord check: {wall:.1f} s wall, peak memory {peak:.0f} MiB, {out.stdout.count(chr(10))} findings, exit {out.returncode}")
PY
