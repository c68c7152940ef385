//! Metrics recorded against an experiment's checkpoints (seed 003's weights hash).

use super::{Constraints, Storage, StoreError, StoreResult};
use crate::domain::CheckedCheckpoint;
use crate::timestamp;
use std::collections::BTreeMap;
use trackboard_api::{Checkpoint, Scalar};

impl Storage {
    /// Records (or replaces, name by name) metrics of one checkpoint; answers the
    /// checkpoint with everything recorded against it.
    pub async fn record_checkpoint_metrics(
        &self,
        experiment_id: i64,
        checkpoint: &CheckedCheckpoint,
    ) -> StoreResult<Checkpoint> {
        let now = timestamp::now();
        let mut tx = self.begin_write().await?;
        for (name, value) in &checkpoint.metrics {
            let value = serde_json::to_string(value)?;
            sqlx::query(
                "INSERT INTO checkpoint_metrics (experiment_id, weights_hash, name, value, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (experiment_id, weights_hash, name) \
                 DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at",
            )
            .bind(experiment_id)
            .bind(&checkpoint.weights_hash)
            .bind(name)
            .bind(value)
            .bind(&now)
            .execute(&mut *tx)
            .await
            .reference_means(|| {
                StoreError::NotFound(format!("no experiment with id {experiment_id}"))
            })?;
        }
        tx.commit().await?;
        self.checkpoints(experiment_id)
            .await?
            .into_iter()
            .find(|found| found.weights_hash == checkpoint.weights_hash)
            .ok_or_else(|| StoreError::NotFound(format!("no experiment with id {experiment_id}")))
    }

    /// Every checkpoint of an experiment with its metrics, in the order first recorded;
    /// each names the artifact whose SHA-256 is its hash, if one is stored.
    pub async fn checkpoints(&self, experiment_id: i64) -> StoreResult<Vec<Checkpoint>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT weights_hash, name, value, recorded_at FROM checkpoint_metrics \
             WHERE experiment_id = $1 ORDER BY id",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        let artifacts: Vec<(String, String)> = sqlx::query_as(
            "SELECT sha256, name FROM artifacts WHERE experiment_id = $1 ORDER BY id",
        )
        .bind(experiment_id)
        .fetch_all(&self.pool)
        .await?;
        let artifact_of: BTreeMap<String, String> = artifacts.into_iter().rev().collect();
        let mut checkpoints: Vec<Checkpoint> = Vec::new();
        for (hash, name, value, recorded_at) in rows {
            let value: Scalar = serde_json::from_str(&value)?;
            let index = match checkpoints.iter().position(|c| c.weights_hash == hash) {
                Some(index) => index,
                None => {
                    checkpoints.push(Checkpoint {
                        artifact: artifact_of.get(&hash).cloned(),
                        weights_hash: hash,
                        metrics: BTreeMap::new(),
                        recorded_at: String::new(),
                    });
                    checkpoints.len() - 1
                }
            };
            let checkpoint = &mut checkpoints[index];
            checkpoint.metrics.insert(name, value);
            checkpoint.recorded_at = checkpoint.recorded_at.clone().max(recorded_at);
        }
        Ok(checkpoints)
    }
}
