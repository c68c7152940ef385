-- The secret that signs image links (`/api/v1/image-links`): one row, made by the first
-- server to start, shared by every server of this database so a link made by one opens on
-- any. Deleting the row (and restarting) voids every link given out.
CREATE TABLE link_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB    NOT NULL
);
