-- PostgreSQL twin of ../sqlite/0026_metric_history_nan.sql: a metric's value may be NULL,
-- which is NaN (as SQLite stores it).
ALTER TABLE mlflow_metric_history ALTER COLUMN value DROP NOT NULL;
