-- Logs of an experiment, unique by name. `data` holds the JSON of VALUE, BAR, TABLE,
-- HEATMAP and LABELMAP logs; LINE points and IMAGE files live in their own tables.
CREATE TABLE logs (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    data          TEXT,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (experiment_id, name)
);

-- The series of a LINE log, with running figures kept on append so a summary or an
-- append check never scans the points.
CREATE TABLE line_series (
    id          INTEGER PRIMARY KEY,
    log_id      INTEGER NOT NULL REFERENCES logs (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    points      INTEGER NOT NULL DEFAULT 0,
    first_step  INTEGER,
    last_step   INTEGER,
    last_value  REAL,
    UNIQUE (log_id, name)
);

-- One row per point, clustered by (series, step): a step range is one index range.
-- A NULL value is a gap.
CREATE TABLE line_points (
    series_id INTEGER NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    step      INTEGER NOT NULL,
    value     REAL,
    PRIMARY KEY (series_id, step)
) WITHOUT ROWID;

-- Images of IMAGE logs; the bytes are an object in the object store under `object_key`.
CREATE TABLE log_images (
    id           INTEGER PRIMARY KEY,
    log_id       INTEGER NOT NULL REFERENCES logs (id) ON DELETE CASCADE,
    object_key   TEXT    NOT NULL UNIQUE,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    caption      TEXT    NOT NULL DEFAULT '',
    step         INTEGER,
    created_at   TEXT    NOT NULL
);
CREATE INDEX log_images_log ON log_images (log_id, id);
