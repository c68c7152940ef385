-- PostgreSQL twin of ../sqlite/0010_idempotent_writes.sql.
-- Writes sent with an `Idempotency-Key` header, remembered for a day with their answer,
-- so a client retrying a write whose answer it lost gets that answer again instead of
-- the write applied twice.
CREATE TABLE idempotent_writes (
    key         TEXT COLLATE "C" PRIMARY KEY,
    fingerprint TEXT COLLATE "C" NOT NULL,
    created     BIGINT           NOT NULL,
    answer      TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE INDEX idempotent_writes_by_age ON idempotent_writes (created_at);
