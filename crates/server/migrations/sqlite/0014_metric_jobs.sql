-- Metrics computations (seed 000 `compute_evaluations_metrics` returns a job to wait
-- for): status and progress, written by the task that computes and polled by clients.
CREATE TABLE metric_jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment_id  INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    inference_type TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    done           INTEGER NOT NULL DEFAULT 0,
    total          INTEGER NOT NULL DEFAULT 0,
    message        TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
