-- What MLflow's tracking API records beyond Trackboard's own data (docs/MLFLOW.md). A run
-- is an experiment, a metric a LINE log, params and tags TABLE logs; these tables keep
-- only what those cannot hold, and go with the row they describe.

-- A run's MLflow facts: who started it and when, in MLflow's milliseconds.
CREATE TABLE mlflow_runs (
    experiment_id INTEGER PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
    user_id       TEXT    NOT NULL DEFAULT '',
    start_time    INTEGER NOT NULL,
    end_time      INTEGER
);

-- Every metric value as MLflow's client logged it, in order (`seq`): its step, its
-- timestamp, and values at a step the LINE series had already passed (repeats and
-- out-of-order steps), which the chart's series cannot hold. get-history reads this.
CREATE TABLE mlflow_metric_history (
    series_id INTEGER NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    step      INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    value     REAL    NOT NULL,
    PRIMARY KEY (series_id, seq)
) WITHOUT ROWID;

-- Tags of an MLflow experiment (a Trackboard project).
CREATE TABLE mlflow_experiment_tags (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    PRIMARY KEY (project_id, key)
);

-- MLflow 3's logged models. Their files are artifacts of the run that logged them,
-- under `models/<id>/`; params and tags are JSON objects of strings.
CREATE TABLE mlflow_logged_models (
    id            TEXT    PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    model_type    TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    params        TEXT    NOT NULL DEFAULT '{}',
    tags          TEXT    NOT NULL DEFAULT '{}',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX mlflow_logged_models_run ON mlflow_logged_models (experiment_id);

-- Multipart uploads in progress through MLflow's artifact proxy: the artifact being
-- written, and each part as an object of its own until the upload completes.
CREATE TABLE mlflow_uploads (
    id            TEXT    PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    parts         INTEGER NOT NULL,
    created_at    TEXT    NOT NULL
);

CREATE TABLE mlflow_upload_parts (
    upload_id   TEXT    NOT NULL REFERENCES mlflow_uploads (id) ON DELETE CASCADE,
    part_number INTEGER NOT NULL,
    object_key  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
