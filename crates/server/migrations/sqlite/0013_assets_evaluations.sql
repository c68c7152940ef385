-- Issue 18: the images of a dataset version with their ground truth (seed 001's assets),
-- and an experiment's evaluations, i.e. its predictions per asset (seed 000
-- `add_evaluation`). Shapes are kept as JSON (numbers round-trip exactly); the label
-- rows beside them exist only so lists can filter by label (and score) in SQL.
-- AUTOINCREMENT: an asset id is never given again after a delete, so an image cached
-- for good under its id stays right.
CREATE TABLE assets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_version_id INTEGER NOT NULL REFERENCES dataset_versions (id) ON DELETE CASCADE,
    filename           TEXT    NOT NULL,
    object_key         TEXT    NOT NULL,
    content_type       TEXT    NOT NULL,
    size               INTEGER NOT NULL,
    width              INTEGER NOT NULL,
    height             INTEGER NOT NULL,
    annotations        TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    UNIQUE (dataset_version_id, filename)
);

CREATE TABLE asset_labels (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    label    TEXT    NOT NULL,
    PRIMARY KEY (asset_id, label)
);
CREATE INDEX asset_labels_by_label ON asset_labels (label, asset_id);

CREATE TABLE evaluations (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    asset_id      INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    predictions   TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (experiment_id, asset_id)
);
CREATE INDEX evaluations_of_asset ON evaluations (asset_id);

CREATE TABLE evaluation_scores (
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    label         TEXT    NOT NULL,
    score         REAL    NOT NULL
);
CREATE INDEX evaluation_scores_of ON evaluation_scores (evaluation_id, label, score);
