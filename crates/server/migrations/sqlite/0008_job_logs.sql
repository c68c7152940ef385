-- Live logging of an experiment's job (seed 000 `send_logging`,
-- `start_logging_chapter`, `update_job_status`): numbered text lines, each in a chapter.
CREATE TABLE job_log_lines (
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    line_number   INTEGER NOT NULL,
    chapter       TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, line_number)
);

ALTER TABLE experiments ADD COLUMN job_status TEXT NOT NULL DEFAULT 'pending';
