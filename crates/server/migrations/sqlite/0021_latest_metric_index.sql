-- MLflow's latest value of a metric (highest step, then timestamp, then seq), as
-- `runs/search` filters, sorts and shows it, found by one seek from this index. Without
-- it each series' whole history was read and sorted once per run a search touched: a
-- 10,000-step loss cost 10,000 rows a run.
CREATE INDEX mlflow_metric_history_latest ON mlflow_metric_history (series_id, step, timestamp, seq);
