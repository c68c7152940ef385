-- A project's VALUE logs run by run, as the experiments table and the sweep views read
-- them (`GET /projects/{id}/values`), from this index alone: read from the table, the
-- 100,000 VALUE logs of a 10,000-run sweep were 100,000 scattered row reads.
CREATE INDEX logs_values ON logs (experiment_id, type, name, data) WHERE type = 'VALUE';
