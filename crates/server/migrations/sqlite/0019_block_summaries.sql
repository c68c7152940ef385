-- Each block's M4 points (first, lowest, highest, last, first gap; see
-- crates/server/src/storage/blocks.rs), so a reduced read takes a block that lies within
-- one pixel column from these few bytes without reading its points. NULL for blocks
-- written before this migration: those are read whole, as before.
ALTER TABLE line_blocks ADD COLUMN summary BLOB;
