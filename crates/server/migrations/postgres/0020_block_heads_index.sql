-- PostgreSQL twin of ../sqlite/0020_block_heads_index.sql: the heads of a series' blocks
-- (where each lies, its points and summary) from the index alone.
CREATE INDEX line_blocks_heads ON line_blocks (series_id, last_step, first_step, points, id, summary);
