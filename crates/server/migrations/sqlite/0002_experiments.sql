-- Experiments: one training run's record, unique by name within its project.
-- Deleting a project deletes its experiments; deleting a base experiment unlinks it.
CREATE TABLE experiments (
    id                 INTEGER PRIMARY KEY,
    project_id         INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    status             TEXT    NOT NULL,
    base_experiment_id INTEGER REFERENCES experiments (id) ON DELETE SET NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX experiments_base ON experiments (base_experiment_id);
