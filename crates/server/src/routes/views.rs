//! Saved views: a project's dashboard views kept under a name and a short id. Reading
//! and opening one needs a read token; saving, renaming and deleting need write.

use super::projects;
use super::Refused;
use crate::auth::Caller;
use crate::domain::saved_view::{
    checked_view_name, checked_view_path, looks_like_view_id, view_id, VIEW_ID_CHARS,
};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::ViewDraft;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Extension;
use trackboard_api::{NewSavedView, Page, SavedView, SavedViewPatch};

/// `GET /api/v1/projects/{id}/views`: the project's saved views, newest first.
#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}/views",
    tag = "views",
    params(("project_id" = i64, Path), ListParams<SavedView>),
    responses((status = 200, body = Page<SavedView>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
    Query(query): Query<ListParams<SavedView>>,
) -> Result<axum::Json<Page<SavedView>>, ApiError> {
    let (page, order) = query.checked()?;
    existing_project(&state, project_id).await?;
    let (items, total) = state.storage.list_views(project_id, page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/projects/{id}/views`: 201 with the view and its short id; `saved_by`
/// is the name of the token that sent it.
#[utoipa::path(
    post,
    path = "/v1/projects/{project_id}/views",
    tag = "views",
    params(("project_id" = i64, Path)),
    request_body = NewSavedView,
    responses((status = 201, body = SavedView), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
    Extension(Caller(token)): Extension<Caller>,
    Json(body): Json<NewSavedView>,
) -> Result<(StatusCode, axum::Json<SavedView>), ApiError> {
    let name = checked_view_name(&body.name)?;
    let path = checked_view_path(project_id, &body.path)?;
    existing_project(&state, project_id).await?;
    // A taken id (one in 10^15) is drawn again rather than refused.
    for _ in 0..4 {
        let id = new_view_id()?;
        let draft = ViewDraft {
            id: &id,
            project_id,
            name: &name,
            path: &path,
            saved_by: &token.name,
        };
        if let Some(view) = state.storage.create_view(draft).await? {
            return Ok((StatusCode::CREATED, axum::Json(view)));
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "four new view ids in a row were taken"
    )))
}

/// `GET /api/v1/views/{id}`: one view, to open.
#[utoipa::path(
    get,
    path = "/v1/views/{view_id}",
    tag = "views",
    params(("view_id" = String, Path)),
    responses((status = 200, body = SavedView), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<axum::Json<SavedView>, ApiError> {
    let found = match looks_like_view_id(&id) {
        true => state.storage.get_view(&id).await?,
        false => None,
    };
    found.map(axum::Json).ok_or_else(|| not_found(&id))
}

/// `PATCH /api/v1/views/{id}`: renames it.
#[utoipa::path(
    patch,
    path = "/v1/views/{view_id}",
    tag = "views",
    params(("view_id" = String, Path)),
    request_body = SavedViewPatch,
    responses((status = 200, body = SavedView), Refused)
)]
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(body): Json<SavedViewPatch>,
) -> Result<axum::Json<SavedView>, ApiError> {
    let name = checked_view_name(&body.name)?;
    let renamed = match looks_like_view_id(&id) {
        true => state.storage.rename_view(&id, &name).await?,
        false => None,
    };
    renamed.map(axum::Json).ok_or_else(|| not_found(&id))
}

/// `DELETE /api/v1/views/{id}`.
#[utoipa::path(
    delete,
    path = "/v1/views/{view_id}",
    tag = "views",
    params(("view_id" = String, Path)),
    responses((status = 204, description = "Deleted"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    match looks_like_view_id(&id) && state.storage.delete_view(&id).await? {
        true => Ok(StatusCode::NO_CONTENT),
        false => Err(not_found(&id)),
    }
}

async fn existing_project(state: &AppState, id: i64) -> Result<(), ApiError> {
    match state.storage.get_project(id).await? {
        Some(_) => Ok(()),
        None => Err(projects::not_found(id)),
    }
}

fn new_view_id() -> Result<String, ApiError> {
    let mut random = [0u8; VIEW_ID_CHARS];
    getrandom::fill(&mut random)
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("no randomness: {error}")))?;
    Ok(view_id(random))
}

fn not_found(id: &str) -> ApiError {
    ApiError::NotFound(format!("no saved view with id {id:?}"))
}
