//! What MLflow's tracking API stores (docs/MLFLOW.md): runs are experiments, metrics
//! LINE logs, params and tags TABLE logs; the `mlflow_*` tables keep only what those
//! cannot hold. One file per resource: a run's record and writes (`runs.rs`), each
//! metric value's timestamp and repeats (`metric_history.rs`), an MLflow experiment's
//! tags (`experiment_tags.rs`), MLflow 3's logged models (`logged_models.rs`).

mod experiment_tags;
mod logged_models;
mod metric_history;
mod run_parts;
mod runs;

pub use logged_models::LoggedModel;
pub use run_parts::RunParts;
pub use runs::{RunRecord, RunWrites};
