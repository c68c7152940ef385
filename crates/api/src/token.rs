//! API tokens: how scripts and the dashboard prove who they are.

use serde::{Deserialize, Serialize};

/// What a token may do. Each scope includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Every `GET`: browse projects, experiments, logs and artifacts.
    Read,
    /// Also every write except token management: log, upload, attach, export.
    Write,
    /// Also create, list and revoke tokens.
    Admin,
}

impl TokenScope {
    /// Every scope, weakest first.
    pub const ALL: [TokenScope; 3] = [TokenScope::Read, TokenScope::Write, TokenScope::Admin];

    /// The wire (and storage) spelling: `read`, `write`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
            TokenScope::Admin => "admin",
        }
    }

    /// The scope spelled `text`, if any.
    pub fn parse(text: &str) -> Option<TokenScope> {
        TokenScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
    }
}

/// A token as listed: never its secret, which is shown once at creation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Token {
    /// Server-assigned id, used to revoke it.
    pub id: i64,
    /// Who or what it is for, e.g. `ci-training`.
    pub name: String,
    /// What it may do.
    pub scope: TokenScope,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC when revoked; a revoked token is refused.
    pub revoked_at: Option<String>,
}

/// Body of `POST /api/v1/tokens` (admin only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToken {
    /// 1 to 200 characters.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// `read`, `write` or `admin`.
    pub scope: TokenScope,
}

/// Answer of `POST /api/v1/tokens`: the only time the secret is ever shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    /// The stored token.
    pub token: Token,
    /// Send as `Authorization: Bearer <secret>`. The server keeps only its hash.
    pub secret: String,
}
