-- Seed 003's chart scope: a LINE log belongs to train, validation or test (NULL: none).
ALTER TABLE logs ADD COLUMN scope TEXT;

-- Seed 003's metrics keyed by a weights hash: VALUE-like metrics recorded against one
-- checkpoint of the experiment (an artifact's SHA-256, or a hash the script computed).
-- `value` is the metric as JSON (a number, string or boolean), exact.
CREATE TABLE checkpoint_metrics (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    weights_hash  TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    recorded_at   TEXT    NOT NULL,
    UNIQUE (experiment_id, weights_hash, name)
);
