-- The dataset registry: datasets with named versions, attached to experiments under an
-- alias (seed 000 `attach_dataset("training", version)`). A version that experiments
-- use cannot be deleted from under them (RESTRICT).
CREATE TABLE datasets (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

CREATE TABLE dataset_versions (
    id          INTEGER PRIMARY KEY,
    dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
    version     TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    asset_count INTEGER NOT NULL DEFAULT 0,
    labels      TEXT    NOT NULL DEFAULT '[]',
    created_at  TEXT    NOT NULL,
    UNIQUE (dataset_id, version)
);

CREATE TABLE experiment_datasets (
    experiment_id      INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    alias              TEXT    NOT NULL,
    dataset_version_id INTEGER NOT NULL REFERENCES dataset_versions (id) ON DELETE RESTRICT,
    attached_at        TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, alias)
);
CREATE INDEX experiment_datasets_version ON experiment_datasets (dataset_version_id);
