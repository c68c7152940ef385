-- PostgreSQL twin of ../sqlite/0022_value_logs_index.sql: a run's VALUE logs from one
-- index range.
CREATE INDEX logs_values ON logs (experiment_id, type, name, data) WHERE type = 'VALUE';
