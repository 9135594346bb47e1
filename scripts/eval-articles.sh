#!/usr/bin/env bash
# Article-extraction eval: builds and runs examples/eval_articles.rs over the eval set
# (default ../shared/eval/articles, or $1), then prints the scorer's summary.
# Extra arguments after the directory go to score.py (e.g. --source zyte-aeb).
set -euo pipefail
cd "$(dirname "$0")/.."
default=../shared/eval/articles
[ -e "$default/gold.jsonl" ] || default=../../shared/eval/articles
dir="${1:-$default}"
shift || true
out="${PREDS:-target/eval-articles-preds.jsonl}"
cargo build --release --example eval_articles
./target/release/examples/eval_articles "$dir" > "$out"
python3 "$dir/score.py" "$out" "$@"
