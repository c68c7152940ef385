use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use trackboard_api::Health;

/// `GET /api/v1/health`: 200 when the database answers.
#[utoipa::path(
    get,
    path = "/v1/health",
    tag = "health",
    responses((status = 200, body = Health))
)]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.storage.ping().await?;
    Ok(Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }))
}
