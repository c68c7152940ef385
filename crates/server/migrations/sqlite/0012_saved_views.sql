-- Saved views (issue 19): a dashboard address kept under a name and a short id, per
-- project, with the name of the token that saved it.
CREATE TABLE saved_views (
    id         TEXT    PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    path       TEXT    NOT NULL,
    saved_by   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE INDEX saved_views_of_project ON saved_views (project_id, created_at);
