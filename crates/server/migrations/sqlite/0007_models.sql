-- The model registry. Versions are numbered 1, 2, 3… per model; each keeps a copy of its
-- source experiment's label map and parameters, and the records of its artifacts (with
-- their object keys, so the files outlive the experiment).
CREATE TABLE models (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    type        TEXT    NOT NULL,
    framework   TEXT    NOT NULL DEFAULT '',
    tags        TEXT    NOT NULL DEFAULT '[]',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE model_versions (
    id                   INTEGER PRIMARY KEY,
    model_id             INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    version              INTEGER NOT NULL,
    source_experiment_id INTEGER REFERENCES experiments (id) ON DELETE SET NULL,
    labelmap             TEXT    NOT NULL DEFAULT '{}',
    parameters           TEXT    NOT NULL DEFAULT '{}',
    created_at           TEXT    NOT NULL,
    UNIQUE (model_id, version)
);

CREATE TABLE model_version_artifacts (
    model_version_id INTEGER NOT NULL REFERENCES model_versions (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    filename         TEXT    NOT NULL,
    size             INTEGER NOT NULL,
    sha256           TEXT    NOT NULL,
    object_key       TEXT    NOT NULL,
    PRIMARY KEY (model_version_id, name)
);
CREATE INDEX model_version_artifacts_key ON model_version_artifacts (object_key);

-- An experiment may start from a model version (seed 000 `base_model_version`).
ALTER TABLE experiments ADD COLUMN base_model_version_id INTEGER REFERENCES model_versions (id) ON DELETE SET NULL;
