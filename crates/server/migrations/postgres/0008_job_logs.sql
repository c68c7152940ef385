-- PostgreSQL twin of ../sqlite/0008_job_logs.sql (BIGINT ids, DOUBLE PRECISION, byte-order "C" text like SQLite's).
-- Live logging of an experiment's job (seed 000 `send_logging`,
-- `start_logging_chapter`, `update_job_status`): numbered text lines, each in a chapter.
CREATE TABLE job_log_lines (
    experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    line_number   BIGINT NOT NULL,
    chapter       TEXT COLLATE "C"    NOT NULL DEFAULT '',
    text          TEXT COLLATE "C"    NOT NULL,
    created_at    TEXT COLLATE "C"    NOT NULL,
    PRIMARY KEY (experiment_id, line_number)
);

ALTER TABLE experiments ADD COLUMN job_status TEXT COLLATE "C" NOT NULL DEFAULT 'pending';
