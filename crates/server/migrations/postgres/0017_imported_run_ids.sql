-- A run imported from another MLflow store keeps its run id (`trackboard import mlflow`),
-- so links and scripts that name it still resolve. NULL: the run id is derived from the
-- experiment id (domain::mlflow::run_id).
ALTER TABLE mlflow_runs ADD COLUMN run_uuid TEXT;
CREATE UNIQUE INDEX mlflow_runs_run_uuid ON mlflow_runs (run_uuid);
