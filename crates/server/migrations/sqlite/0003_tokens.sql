-- API tokens. Only the SHA-256 of the secret is stored (the secret has 256 random bits,
-- so a fast hash is enough); a revoked token keeps its row so the list shows its history.
CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    secret_hash TEXT    NOT NULL UNIQUE,
    created_at  TEXT    NOT NULL,
    revoked_at  TEXT
);
