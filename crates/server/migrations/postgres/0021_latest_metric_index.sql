-- PostgreSQL twin of ../sqlite/0021_latest_metric_index.sql: a metric's latest value
-- (highest step, then timestamp, then seq) by one seek instead of a sort of its history.
CREATE INDEX mlflow_metric_history_latest ON mlflow_metric_history (series_id, step, timestamp, seq);
