#!/usr/bin/env bash
# Ingest throughput: `concord ingest` of the shared newswire corpus (../shared/data/news/,
# gzipped JSON lines) into a fresh index, five runs; prints the median articles/s and MB/s
# (MB of uncompressed JSON lines), extraction included, and each run's CPU time. Needs ../shared beside the
# repository (or SHARED=DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cargo build --release --quiet
python3 - "$shared/data/news" target/release/concord <<'PY'
import glob, gzip, os, resource, statistics, subprocess, sys, tempfile, time
news, binary = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(news, "*.jsonl.gz")))
if not files:
    sys.exit(f"no *.jsonl.gz in {news}: this benchmark reads ../shared/data/news")
nbytes = sum(len(gzip.open(f).read()) for f in files)
narticles = sum(1 for f in files for _ in gzip.open(f))
times, users, systems = [], [], []
for run in range(5):
    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([binary, "--index", os.path.join(tmp, "index"), "ingest", "--json", news],
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        users.append(after.ru_utime - before.ru_utime)
        systems.append(after.ru_stime - before.ru_stime)
        stored = out.stdout.count('"status":"ingested"')
median = statistics.median(times)
print(f"ingest of {narticles} articles ({nbytes/1e6:.1f} MB of JSON lines); {stored} stored per run")
print("runs: " + ", ".join(f"{t:.2f} s" for t in times))
# system time is mostly the kernel zeroing fresh memory pages; on a virtual machine it
# varies a lot from run to run, so it is shown apart
print("CPU per run (user + system): " + ", ".join(f"{u:.2f} + {s:.2f} s" for u, s in zip(users, systems)))
print(f"median: {narticles/median:,.0f} articles/s, {nbytes/1e6/median:.1f} MB/s")
# wall-clock time on a shared virtual machine drifts from minute to minute: the best run
# shows what the build does when the machine is quiet
print(f"best run: {narticles/min(times):,.0f} articles/s")
PY
