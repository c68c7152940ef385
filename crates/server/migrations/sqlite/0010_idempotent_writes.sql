-- Writes sent with an `Idempotency-Key` header, remembered for a day with their answer,
-- so a client retrying a write whose answer it lost gets that answer again instead of
-- the write applied twice.
CREATE TABLE idempotent_writes (
    key         TEXT    PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    created     INTEGER NOT NULL,
    answer      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE INDEX idempotent_writes_by_age ON idempotent_writes (created_at);
