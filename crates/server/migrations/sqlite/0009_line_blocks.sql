-- Packed copies of LINE points, up to 4,096 consecutive points of a series per row (the
-- layouts are in crates/server/src/storage/blocks.rs). A reduced read of a million points
-- reads a thousand rows instead of a million. `line_points` stays the record of each
-- point (raw pages, CSV). Series made before this migration have no blocks
-- (`blocked` = 0) until their first reduced read packs them.
ALTER TABLE line_series ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;

CREATE TABLE line_blocks (
    id         INTEGER PRIMARY KEY,
    series_id  INTEGER NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    first_step INTEGER NOT NULL,
    last_step  INTEGER NOT NULL,
    points     INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    UNIQUE (series_id, last_step)
);
