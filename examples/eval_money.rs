//! Runs the money extractor over an eval set and prints one prediction line per case.
//!
//! Usage: `cargo run --example eval_money -- CASES.jsonl > preds.jsonl`
//! (default cases: `/work/shared/eval/money/visible.jsonl`). Each input line needs `id` and
//! `text`; each output line is `{"id", "pred": [{"start", "end", "value", "currency",
//! "min", "max"}]}` with character offsets.
//!
//! `min`/`max` are given for ranges and bounds (from `low`/`high`). For a bound ("more than
//! $5") `value` carries the stated figure, since the suite's sources disagree on whether a
//! hedged amount has a value; the scorer reads `value` when the gold has one, else
//! `min`/`max`.

use std::io::{BufRead, BufReader, Write};

use concord::extract::money::MoneyExtractor;
use concord::model::{Money, Qualifier};
use concord::rules::RuleSet;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn number(value: Option<Decimal>) -> Value {
    value
        .and_then(|v| v.to_f64())
        .map_or(Value::Null, |v| json!(v))
}

fn prediction(m: &Money) -> Value {
    let mut pred = json!({
        "start": m.start,
        "end": m.end,
        "currency": m.currency,
    });
    let value = match m.qualifier {
        Qualifier::Exact | Qualifier::Approx => m.value,
        Qualifier::AtLeast => m.low,
        Qualifier::AtMost => m.high,
        Qualifier::Range => None,
    };
    pred["value"] = number(value);
    match m.qualifier {
        Qualifier::Range => {
            pred["min"] = number(m.low);
            pred["max"] = number(m.high);
        }
        Qualifier::AtLeast => {
            pred["min"] = number(m.low);
            pred["max"] = Value::Null;
        }
        Qualifier::AtMost => {
            pred["min"] = Value::Null;
            pred["max"] = number(m.high);
        }
        _ => {}
    }
    pred
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/work/shared/eval/money/visible.jsonl".to_string());
    let extractor = MoneyExtractor::new(&RuleSet::embedded())?;
    let reader = BufReader::new(std::fs::File::open(&path)?);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in reader.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let case: Value = serde_json::from_str(&line)?;
        let text = case["text"].as_str().unwrap_or_default();
        let preds: Vec<Value> = extractor.find(text).iter().map(prediction).collect();
        writeln!(out, "{}", json!({"id": case["id"], "pred": preds}))?;
    }
    Ok(())
}
