-- What a reduced read plans from (storage/points.rs): where each block lies, how many
-- points it holds and its summary, answered from this index alone. Read from the table,
-- each row's summary sits after its points' bytes, and SQLite walked every block's
-- overflow pages to reach it: a 100,000,000-point series took 509 ms at 1,000 px.
CREATE INDEX line_blocks_heads ON line_blocks (series_id, last_step, first_step, points, id, summary);
