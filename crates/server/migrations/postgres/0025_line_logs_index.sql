-- PostgreSQL twin of ../sqlite/0025_line_logs_index.sql: a run's LINE logs from one index
-- range.
CREATE INDEX logs_lines ON logs (experiment_id, type, name, id) WHERE type = 'LINE';
