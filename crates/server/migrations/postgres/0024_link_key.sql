-- PostgreSQL twin of ../sqlite/0024_link_key.sql.
CREATE TABLE link_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BYTEA   NOT NULL
);
