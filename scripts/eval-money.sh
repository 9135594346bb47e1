#!/usr/bin/env bash
# Money-mention accuracy on the visible eval set (reads $SHARED/eval/money/, default
# ../shared beside the repository). Usage: scripts/eval-money.sh [--errors N]   (extra args go to score.py)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SHARED:-../shared}
cases=$shared/eval/money/visible.jsonl
out=${TMPDIR:-/tmp}/concord-money-preds.jsonl
cargo build --quiet --example eval_money
cargo run --quiet --example eval_money -- "$cases" > "$out"
python3 "$shared/eval/money/score.py" "$cases" "$out" "$@" > /dev/null
