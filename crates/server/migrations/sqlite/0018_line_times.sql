-- When LINE points were logged: a step function per series. The point at step s was
-- logged at the `time` of the row with the greatest step <= s. A batch the client sent
-- without times gets one row (its first step, the server's arrival time); a batch with
-- `wall_times` one row per point whose time differs from the point before it.
-- `time` is seconds since the Unix epoch. Series logged before this table have no rows.
CREATE TABLE line_times (
    series_id INTEGER NOT NULL REFERENCES line_series (id) ON DELETE CASCADE,
    step      INTEGER NOT NULL,
    time      REAL    NOT NULL,
    PRIMARY KEY (series_id, step)
) WITHOUT ROWID;
