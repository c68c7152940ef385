//! Token management (admin scope): create, list, revoke.

use super::Refused;
use crate::auth;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use trackboard_api::{CreatedToken, NewToken, Page, Token};

/// `GET /api/v1/tokens`: every token, oldest first, never a secret.
#[utoipa::path(
    get,
    path = "/v1/tokens",
    tag = "tokens",
    params(ListParams<Token>),
    responses((status = 200, body = Page<Token>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListParams<Token>>,
) -> Result<axum::Json<Page<Token>>, ApiError> {
    let (page, order) = query.checked()?;
    let (items, total) = state.storage.list_tokens(page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/tokens`: 201 with the secret, shown this once.
#[utoipa::path(
    post,
    path = "/v1/tokens",
    tag = "tokens",
    request_body = NewToken,
    responses((status = 201, body = CreatedToken), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Json(body): Json<NewToken>,
) -> Result<(StatusCode, axum::Json<CreatedToken>), ApiError> {
    let name = checked_name("name", &body.name, 200)?;
    let created = auth::issue_token(&state.storage, &name, body.scope).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// `DELETE /api/v1/tokens/{id}`: revokes it at once; answers the revoked token.
#[utoipa::path(
    delete,
    path = "/v1/tokens/{token_id}",
    tag = "tokens",
    params(("token_id" = i64, Path)),
    responses((status = 200, body = Token), Refused)
)]
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Token>, ApiError> {
    state
        .storage
        .revoke_token(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| ApiError::NotFound(format!("no token with id {id}")))
}
