//! Metrics recorded against a checkpoint (seed 003 `update_metrics(…, weights_hash)`),
//! checked before storage sees them.

use super::{checked_name, Refusal};
use trackboard_api::{CheckpointMetrics, Scalar};

/// The most metrics one request records.
pub const MAX_CHECKPOINT_METRICS: usize = 200;

/// A checkpoint's metrics to record: the hash in lower-case hex, each name checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedCheckpoint {
    pub weights_hash: String,
    pub metrics: Vec<(String, Scalar)>,
}

impl TryFrom<CheckpointMetrics> for CheckedCheckpoint {
    type Error = Refusal;

    fn try_from(body: CheckpointMetrics) -> Result<Self, Refusal> {
        let hash = body.weights_hash.trim();
        let is_hex = hash.chars().all(|c| c.is_ascii_hexdigit());
        if !is_hex || !(hash.len() == 40 || hash.len() == 64) {
            return Err(Refusal::invalid(
                "weights_hash",
                format!(
                    "weights_hash must be a hex SHA-1 (40 digits) or SHA-256 (64), got {hash:?}"
                ),
            ));
        }
        if body.metrics.is_empty() || body.metrics.len() > MAX_CHECKPOINT_METRICS {
            return Err(Refusal::invalid(
                "metrics",
                format!(
                    "metrics must hold 1 to {MAX_CHECKPOINT_METRICS} names, got {}",
                    body.metrics.len()
                ),
            ));
        }
        let metrics = body
            .metrics
            .into_iter()
            .map(|(name, value)| Ok((checked_name("metrics", &name, 200)?, value)))
            .collect::<Result<Vec<_>, Refusal>>()?;
        Ok(CheckedCheckpoint {
            weights_hash: hash.to_ascii_lowercase(),
            metrics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn body(hash: &str, names: &[&str]) -> CheckpointMetrics {
        CheckpointMetrics {
            weights_hash: hash.to_owned(),
            metrics: names
                .iter()
                .map(|name| ((*name).to_owned(), Scalar::Bool(true)))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn sha1_and_sha256_hashes_are_taken_in_lower_case() {
        let sha1 = "A".repeat(40);
        let checked = CheckedCheckpoint::try_from(body(&sha1, &["ex_cost"])).expect("taken");
        assert_eq!(checked.weights_hash, "a".repeat(40));
        assert!(CheckedCheckpoint::try_from(body(&"0".repeat(64), &["m"])).is_ok());
    }

    #[test]
    fn bad_hashes_and_metric_sets_name_their_field() {
        for hash in ["", "abc", &"g".repeat(40), &"a".repeat(41), &"a".repeat(63)] {
            let refused = CheckedCheckpoint::try_from(body(hash, &["m"])).expect_err(hash);
            assert_eq!(refused.field, "weights_hash");
        }
        let empty = CheckedCheckpoint::try_from(body(&"a".repeat(40), &[])).expect_err("empty");
        assert_eq!(empty.field, "metrics");
        let names: Vec<String> = (0..=MAX_CHECKPOINT_METRICS)
            .map(|i| format!("m{i}"))
            .collect();
        let many: Vec<&str> = names.iter().map(String::as_str).collect();
        let refused = CheckedCheckpoint::try_from(body(&"a".repeat(40), &many)).expect_err("many");
        assert_eq!(refused.field, "metrics");
        let blank = CheckedCheckpoint::try_from(body(&"a".repeat(40), &["  "])).expect_err("blank");
        assert_eq!(blank.field, "metrics");
    }
}
