//! Bearer-token authentication. Every `/api` route except health goes through
//! [`require_scope`] with the scope its route group declares (`routes::scoped_routes`):
//! reads need any live token, writes a `write` token, token management an `admin` token.
//! Secrets are random and stored only as SHA-256 hashes.

use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::Storage;
use anyhow::Context;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use trackboard_api::{CreatedToken, Token, TokenScope};

/// Prefix of every secret, so a leaked one is recognisable in logs and scanners.
pub const SECRET_PREFIX: &str = "tb_";

/// A new secret: the prefix and 256 random bits in hex.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
    Ok(format!("{SECRET_PREFIX}{}", hex::encode(bytes)))
}

/// What the database stores of a secret.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a token and answers its secret, the one time it is known.
pub async fn issue_token(
    storage: &Storage,
    name: &str,
    scope: TokenScope,
) -> anyhow::Result<CreatedToken> {
    let secret = new_secret()?;
    let token = storage
        .create_token(name, scope, &secret_hash(&secret))
        .await
        .context("cannot store the token")?;
    Ok(CreatedToken { token, secret })
}

/// The token that authenticated a request, for handlers that want to know.
#[derive(Clone, Debug)]
pub struct Caller(pub Token);

/// What a group of routes requires: the state to look tokens up in, and the scope.
#[derive(Clone, Debug)]
pub struct ScopeGuard {
    pub state: AppState,
    pub needed: TokenScope,
}

/// Middleware of a route group: 401 without a live bearer token, 403 when its scope is
/// weaker than the group's.
pub async fn require_scope(
    State(guard): State<ScopeGuard>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let ScopeGuard { state, needed } = guard;
    let token = authenticate(&state.storage, request.headers()).await?;
    if token.scope < needed {
        return Err(ApiError::Forbidden(format!(
            "this token has the {} scope; {} {} needs {}",
            token.scope.as_str(),
            request.method(),
            request.uri().path(),
            needed.as_str()
        )));
    }
    request.extensions_mut().insert(Caller(token));
    Ok(next.run(request).await)
}

/// The live token the request's `Authorization: Bearer` header names, or the 401.
pub async fn authenticate(storage: &Storage, headers: &HeaderMap) -> Result<Token, ApiError> {
    let secret = bearer_secret(headers)?;
    storage
        .find_live_token(&secret_hash(secret))
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("this token is not valid: it is unknown or revoked".into())
        })
}

fn bearer_secret(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized(
            "missing Authorization header: send `Authorization: Bearer <token>`".into(),
        )
    })?;
    value
        .to_str()
        .ok()
        .and_then(|text| text.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_prefixed() {
        let first = new_secret().expect("randomness");
        let second = new_secret().expect("randomness");
        assert!(first.starts_with(SECRET_PREFIX));
        assert_eq!(first.len(), SECRET_PREFIX.len() + 64);
        assert_ne!(first, second);
    }

    #[test]
    fn the_hash_is_stable_and_hides_the_secret() {
        let hash = secret_hash("tb_abc");
        assert_eq!(hash, secret_hash("tb_abc"));
        assert_ne!(hash, secret_hash("tb_abd"));
        assert!(!hash.contains("abc"));
        assert_eq!(hash.len(), 64);
    }
}
