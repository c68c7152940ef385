-- Projects: the top-level folder of experiments. Timestamps are RFC 3339 UTC text
-- (fixed width, so they sort as they read).
CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
