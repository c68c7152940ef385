-- PostgreSQL twin of ../sqlite/0011_mlflow.sql.
CREATE TABLE mlflow_runs (
    experiment_id BIGINT PRIMARY KEY REFERENCES experiments (id) ON DELETE CASCADE,
    user_id       TEXT COLLATE "C" NOT NULL DEFAULT '',
    start_time    BIGINT NOT NULL,
    end_time      BIGINT
);

CREATE TABLE mlflow_metric_history (
    series_id BIGINT NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    seq       BIGINT NOT NULL,
    step      BIGINT NOT NULL,
    timestamp BIGINT NOT NULL,
    value     DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (series_id, seq)
);

CREATE TABLE mlflow_experiment_tags (
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    key        TEXT COLLATE "C" NOT NULL,
    value      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (project_id, key)
);

CREATE TABLE mlflow_logged_models (
    id            TEXT COLLATE "C" PRIMARY KEY,
    experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT COLLATE "C" NOT NULL,
    model_type    TEXT COLLATE "C" NOT NULL DEFAULT '',
    status        TEXT COLLATE "C" NOT NULL,
    params        TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    tags          TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX mlflow_logged_models_run ON mlflow_logged_models (experiment_id);

CREATE TABLE mlflow_uploads (
    id            TEXT COLLATE "C" PRIMARY KEY,
    experiment_id BIGINT NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT COLLATE "C" NOT NULL,
    parts         BIGINT NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL
);

CREATE TABLE mlflow_upload_parts (
    upload_id   TEXT COLLATE "C" NOT NULL REFERENCES mlflow_uploads (id) ON DELETE CASCADE,
    part_number BIGINT NOT NULL,
    object_key  TEXT COLLATE "C" NOT NULL,
    size        BIGINT NOT NULL,
    PRIMARY KEY (upload_id, part_number)
);
