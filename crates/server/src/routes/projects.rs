use crate::domain::ProjectDraft;
use crate::error::ApiError;
use crate::extract::{Json, PageQuery, PageRequest, Query};
use crate::storage::is_unique_violation;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use trackboard_api::{NewProject, Page, Project};

/// `GET /api/v1/projects?limit&offset`: projects by name.
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<axum::Json<Page<Project>>, ApiError> {
    let page = PageRequest::try_from(query)?;
    let (items, total) = state.storage.list_projects(page).await?;
    Ok(axum::Json(Page {
        items,
        total,
        limit: page.limit,
        offset: page.offset,
    }))
}

/// `POST /api/v1/projects`: 201 with the project; 409 when the name is taken.
pub async fn create(
    State(state): State<AppState>,
    Json(body): Json<NewProject>,
) -> Result<(StatusCode, axum::Json<Project>), ApiError> {
    let draft = ProjectDraft::try_from(body)?;
    match state.storage.create_project(&draft).await {
        Ok(project) => Ok((StatusCode::CREATED, axum::Json(project))),
        Err(error) if is_unique_violation(&error) => Err(ApiError::conflict(
            "name",
            format!("a project named {:?} already exists", draft.name),
        )),
        Err(error) => Err(error.into()),
    }
}
