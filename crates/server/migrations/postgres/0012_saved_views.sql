-- PostgreSQL twin of ../sqlite/0012_saved_views.sql (BIGINT ids, byte-order "C" text like SQLite's).
-- Saved views (issue 19): a dashboard address kept under a name and a short id, per
-- project, with the name of the token that saved it.
CREATE TABLE saved_views (
    id         TEXT COLLATE "C" PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name       TEXT COLLATE "C" NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    saved_by   TEXT COLLATE "C" NOT NULL,
    created_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL
);

CREATE INDEX saved_views_of_project ON saved_views (project_id, created_at);
