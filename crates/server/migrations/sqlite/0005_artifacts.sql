-- Files stored for an experiment (checkpoints, configs). The bytes are an object in the
-- object store under a key the server generated; name and filename are only labels.
CREATE TABLE artifacts (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    filename      TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    object_key    TEXT    NOT NULL UNIQUE,
    created_at    TEXT    NOT NULL,
    UNIQUE (experiment_id, name)
);
