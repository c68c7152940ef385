use super::page::Listing;
use super::{Storage, StoreError, StoreResult};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::{Token, TokenScope};

const COLUMNS: &str = "id, name, scope, created_at, revoked_at";

#[derive(FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    scope: String,
    created_at: String,
    revoked_at: Option<String>,
}

impl TryFrom<TokenRow> for Token {
    type Error = StoreError;

    fn try_from(row: TokenRow) -> StoreResult<Self> {
        let scope = TokenScope::parse(&row.scope).ok_or_else(|| {
            sqlx::Error::Decode(
                format!("unknown token scope {:?} in row {}", row.scope, row.id).into(),
            )
        })?;
        Ok(Token {
            id: row.id,
            name: row.name,
            scope,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        })
    }
}

/// What `GET /tokens?order_by=` accepts.
impl Ordered for Token {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("created", "created_at"),
            ("name", "name"),
            ("scope", "scope"),
        ],
        default: "created",
        tie: "id",
    };
}

impl Storage {
    /// Stores a token by the hash of its secret.
    pub async fn create_token(
        &self,
        name: &str,
        scope: TokenScope,
        secret_hash: &str,
    ) -> StoreResult<Token> {
        let row: TokenRow = sqlx::query_as(&format!(
            "INSERT INTO api_tokens (name, scope, secret_hash, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING {COLUMNS}"
        ))
        .bind(name)
        .bind(scope.as_str())
        .bind(secret_hash)
        .bind(timestamp::now())
        .fetch_one(&self.pool)
        .await?;
        row.try_into()
    }

    /// The live (not revoked) token whose secret has this hash.
    pub async fn find_live_token(&self, secret_hash: &str) -> StoreResult<Option<Token>> {
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM api_tokens WHERE secret_hash = $1 AND revoked_at IS NULL"
        ))
        .bind(secret_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Token::try_from).transpose()
    }

    /// Every token, oldest first, with the total.
    pub async fn list_tokens(
        &self,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Token>, u64)> {
        let listing = Listing {
            columns: COLUMNS,
            from: "api_tokens",
            parent: None,
        };
        let (rows, total) = self.fetch_page::<TokenRow>(listing, page, order).await?;
        let items = rows
            .into_iter()
            .map(Token::try_from)
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    /// How many tokens were ever created (revoked ones included).
    pub async fn count_tokens(&self) -> StoreResult<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_tokens")
            .fetch_one(&self.pool)
            .await?;
        Ok(count as u64)
    }

    /// Revokes a token; `None` when there is no such token. Revoking twice keeps the
    /// first revocation time.
    pub async fn revoke_token(&self, id: i64) -> StoreResult<Option<Token>> {
        let row: Option<TokenRow> = sqlx::query_as(&format!(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING {COLUMNS}"
        ))
        .bind(timestamp::now())
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Token::try_from).transpose()
    }
}
