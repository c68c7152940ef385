-- MLflow metrics may be NaN (a loss that diverged). SQLite stores a NaN double as NULL, which
-- `value REAL NOT NULL` refused, so a training loop logging one got an error. The value is
-- now nullable: NULL is NaN (±infinity is stored as itself). SQLite cannot drop NOT NULL
-- in place: the table is rebuilt, with its index (0021).
CREATE TABLE mlflow_metric_history_new (
    series_id INTEGER NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value     REAL,
    PRIMARY KEY (series_id, seq)
) WITHOUT ROWID;
INSERT INTO mlflow_metric_history_new (series_id, seq, step, timestamp, value)
    SELECT series_id, seq, step, timestamp, value FROM mlflow_metric_history;
DROP TABLE mlflow_metric_history;
ALTER TABLE mlflow_metric_history_new RENAME TO mlflow_metric_history;
CREATE INDEX mlflow_metric_history_latest ON mlflow_metric_history (series_id, step, timestamp, seq);
