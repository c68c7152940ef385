//! How MLflow's tracking vocabulary maps onto Trackboard's (docs/MLFLOW.md): ids, run
//! statuses, and the limits and checks MLflow's own server applies to a logged batch.

use super::Refusal;
use trackboard_api::ExperimentStatus;

/// The TABLE log holding a run's MLflow tags (params go to `parameters`).
pub const TAGS_LOG: &str = "tags";

/// The tag MLflow's client sets to a run's name: the experiment's own name here.
pub const RUN_NAME_TAG: &str = "mlflow.runName";
/// The tag holding a run's or an MLflow experiment's note: the description here.
pub const NOTE_TAG: &str = "mlflow.note.content";
/// The tag naming who started a run (its `user_id`).
pub const USER_TAG: &str = "mlflow.user";

/// A limit that reads a metric's whole history: far above any stored count, and still
/// an `i64` for SQL.
pub const WHOLE_HISTORY: u64 = 1 << 62;

/// MLflow's log-batch limits, as its server enforces them.
pub const MAX_BATCH_METRICS: usize = 1000;
pub const MAX_BATCH_PARAMS: usize = 100;
pub const MAX_BATCH_TAGS: usize = 100;
/// MLflow's limit on a param value, in characters.
pub const MAX_PARAM_VALUE_CHARS: usize = 6000;
/// MLflow's limit on a tag value, in characters.
pub const MAX_TAG_VALUE_CHARS: usize = 8000;
/// MLflow's limit on a metric, param or tag key, in characters.
pub const MAX_KEY_CHARS: usize = 250;

/// The MLflow run id of a Trackboard experiment: its id as 32 lowercase hex digits, so
/// the mapping needs no table and a printed run URL keeps working.
pub fn run_id(experiment_id: i64) -> String {
    format!("{:032x}", experiment_id as u64)
}

/// The experiment a run id names, if it is one this server gave out.
pub fn parse_run_id(run_id: &str) -> Option<i64> {
    if run_id.len() != 32 || !run_id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(run_id, 16)
        .ok()
        .and_then(|id| i64::try_from(id).ok())
        .filter(|id| *id > 0)
}

/// MLflow's longest run id, in characters.
pub const MAX_RUN_ID_CHARS: usize = 256;

/// Checks a run id that an import keeps from another MLflow store: MLflow's shape (a
/// letter or digit, then letters, digits, `_` or `-`), and not one this server derives
/// from an experiment id, which it would shadow.
pub fn checked_kept_run_id(field: &str, run_id: &str) -> Result<(), Refusal> {
    let mut chars = run_id.chars();
    let shaped = chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && run_id.len() <= MAX_RUN_ID_CHARS;
    if !shaped {
        return Err(Refusal::invalid(
            field,
            format!(
                "{field} {run_id:?} is not an MLflow run id (a letter or digit, then up to \
                 {} letters, digits, '_' or '-')",
                MAX_RUN_ID_CHARS - 1
            ),
        ));
    }
    if parse_run_id(run_id).is_some() {
        return Err(Refusal::invalid(
            field,
            format!("{field} {run_id:?} is one this server gives its own runs; leave it out"),
        ));
    }
    Ok(())
}

/// The project an MLflow experiment id (a string of digits) names. `"0"`, MLflow's
/// default experiment, is answered by the caller (it is the project named "Default").
pub fn parse_experiment_id(experiment_id: &str) -> Option<i64> {
    if experiment_id.is_empty() || !experiment_id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    experiment_id.parse().ok()
}

/// The name of the project that MLflow's experiment `"0"` stands for.
pub const DEFAULT_EXPERIMENT_NAME: &str = "Default";

/// An MLflow run status as the Trackboard status it maps to.
pub fn status_from_mlflow(status: &str) -> Option<ExperimentStatus> {
    Some(match status {
        "RUNNING" => ExperimentStatus::Running,
        "SCHEDULED" => ExperimentStatus::Waiting,
        "FINISHED" => ExperimentStatus::Success,
        "FAILED" => ExperimentStatus::Failed,
        "KILLED" => ExperimentStatus::Cancelled,
        _ => return None,
    })
}

/// A Trackboard status as MLflow names it.
pub fn status_to_mlflow(status: ExperimentStatus) -> &'static str {
    match status {
        ExperimentStatus::Waiting => "SCHEDULED",
        ExperimentStatus::Running => "RUNNING",
        ExperimentStatus::Success => "FINISHED",
        ExperimentStatus::Failed => "FAILED",
        ExperimentStatus::Cancelled => "KILLED",
    }
}

/// One metric value as MLflow's client sends it, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricPoint {
    pub key: String,
    pub value: f64,
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    pub step: i64,
}

/// Checks a metric key, param key or tag key as MLflow does: non-empty, at most 250
/// characters, no control characters, and no `..` or leading `/` (keys name files in
/// MLflow's own store, so it refuses those; we refuse the same to behave alike).
pub fn checked_key(field: &str, key: &str) -> Result<(), Refusal> {
    if key.is_empty() {
        return Err(Refusal::invalid(
            field,
            format!("{field} must not be empty"),
        ));
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(Refusal::invalid(
            field,
            format!("{field} {key:?} is longer than {MAX_KEY_CHARS} characters"),
        ));
    }
    if key.chars().any(char::is_control) || key.starts_with('/') || key.contains("..") {
        return Err(Refusal::invalid(
            field,
            format!(
                "{field} {key:?} is not a valid name (no control characters, leading '/' or '..')"
            ),
        ));
    }
    Ok(())
}

/// Checks a metric: a valid key. Any value is taken, NaN and ±infinity included, as
/// MLflow takes them: a loss that diverged is logged from inside a training loop, which
/// a refusal would stop. The history keeps it; the chart draws it as a gap.
pub fn checked_metric(field: &str, point: &MetricPoint) -> Result<(), Refusal> {
    checked_key(&format!("{field}.key"), &point.key)
}

/// Checks a param or tag value's length against MLflow's limit.
pub fn checked_value(field: &str, value: &str, max_chars: usize) -> Result<(), Refusal> {
    if value.chars().count() > max_chars {
        return Err(Refusal::invalid(
            field,
            format!("{field} is longer than {max_chars} characters"),
        ));
    }
    Ok(())
}

/// A new run's Trackboard name: `wanted`, or `wanted (2)`, `(3)`… when runs already
/// hold it (MLflow allows repeated run names; Trackboard names are unique in a project).
pub fn free_run_name(wanted: &str, taken: &[String]) -> String {
    if !taken.iter().any(|name| name == wanted) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted} ({n})"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| unreachable!("an endless range always finds a free name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_round_trip_and_are_32_hex_digits() {
        for id in [1, 42, i64::MAX] {
            let text = run_id(id);
            assert_eq!(text.len(), 32);
            assert_eq!(parse_run_id(&text), Some(id));
        }
        assert_eq!(run_id(255), "000000000000000000000000000000ff");
    }

    #[test]
    fn foreign_run_ids_are_not_ours() {
        assert_eq!(parse_run_id("abc"), None);
        assert_eq!(parse_run_id(&"0".repeat(32)), None);
        assert_eq!(parse_run_id(&"f".repeat(32)), None, "beyond i64");
        assert_eq!(parse_run_id(&format!("{}g", "0".repeat(31))), None);
    }

    #[test]
    fn kept_run_ids_have_mlflows_shape_and_are_not_ours() {
        assert!(checked_kept_run_id("run_id", "0a1b2c3d4e5f60718293a4b5c6d7e8f9").is_ok());
        assert!(checked_kept_run_id("run_id", "my-run_1").is_ok());
        assert!(checked_kept_run_id("run_id", &"a".repeat(MAX_RUN_ID_CHARS)).is_ok());
        for bad in [
            "",
            "-run",
            "run id",
            "run/1",
            "é",
            &"a".repeat(MAX_RUN_ID_CHARS + 1),
        ] {
            assert!(checked_kept_run_id("run_id", bad).is_err(), "{bad:?}");
        }
        assert!(checked_kept_run_id("run_id", &run_id(42)).is_err());
    }

    #[test]
    fn experiment_ids_are_digit_strings() {
        assert_eq!(parse_experiment_id("17"), Some(17));
        assert_eq!(parse_experiment_id(""), None);
        assert_eq!(parse_experiment_id("-1"), None);
        assert_eq!(parse_experiment_id("1e3"), None);
        assert_eq!(parse_experiment_id("99999999999999999999"), None);
    }

    #[test]
    fn statuses_map_both_ways() {
        for status in ExperimentStatus::ALL {
            assert_eq!(status_from_mlflow(status_to_mlflow(status)), Some(status));
        }
        assert_eq!(status_from_mlflow("finished"), None);
    }

    #[test]
    fn repeated_run_names_get_a_number() {
        let taken = vec!["a".to_owned(), "a (2)".to_owned()];
        assert_eq!(free_run_name("b", &taken), "b");
        assert_eq!(free_run_name("a", &taken), "a (3)");
    }

    #[test]
    fn keys_and_values_are_checked_like_mlflow() {
        assert!(checked_key("key", "loss").is_ok());
        assert!(checked_key("key", "").is_err());
        assert!(checked_key("key", "../x").is_err());
        assert!(checked_key("key", &"k".repeat(251)).is_err());
        let point = |value| MetricPoint {
            key: "loss".into(),
            value,
            timestamp: 0,
            step: 0,
        };
        // Any value, as MLflow takes it (a diverged loss); the key is what is checked.
        for value in [1.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(
                checked_metric("metrics[0]", &point(value)).is_ok(),
                "{value}"
            );
        }
        let bad_key = MetricPoint {
            key: "../x".into(),
            ..point(1.0)
        };
        let refused = checked_metric("metrics[0]", &bad_key).expect_err("a path is no key");
        assert_eq!(refused.field, "metrics[0].key");
        assert!(checked_value("value", &"v".repeat(6001), MAX_PARAM_VALUE_CHARS).is_err());
    }
}
