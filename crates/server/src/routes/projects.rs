use super::respond::csv_attachment;
use super::Refused;
use crate::domain::{ProjectChanges, ProjectDraft};
use crate::error::ApiError;
use crate::export;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::ResultsOf;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use trackboard_api::{NewProject, Page, Project, ProjectPatch};

/// `GET /api/v1/projects?limit&offset`: projects by name.
#[utoipa::path(
    get,
    path = "/v1/projects",
    tag = "projects",
    params(ListParams<Project>),
    responses((status = 200, body = Page<Project>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListParams<Project>>,
) -> Result<axum::Json<Page<Project>>, ApiError> {
    let (page, order) = query.checked()?;
    let (items, total) = state.storage.list_projects(page, &order).await?;
    Ok(axum::Json(page.answer(items, total)))
}

/// `POST /api/v1/projects`: 201 with the project; 409 when the name is taken.
#[utoipa::path(
    post,
    path = "/v1/projects",
    tag = "projects",
    request_body = NewProject,
    responses((status = 201, body = Project), Refused)
)]
pub async fn create(
    State(state): State<AppState>,
    Json(body): Json<NewProject>,
) -> Result<(StatusCode, axum::Json<Project>), ApiError> {
    let draft = ProjectDraft::try_from(body)?;
    let project = state.storage.create_project(&draft).await?;
    Ok((StatusCode::CREATED, axum::Json(project)))
}

/// `GET /api/v1/projects/{id}`.
#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}",
    tag = "projects",
    params(("project_id" = i64, Path)),
    responses((status = 200, body = Project), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Project>, ApiError> {
    state
        .storage
        .get_project(id)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(id))
}

/// `PATCH /api/v1/projects/{id}`: rename or describe; 409 when the new name is taken.
#[utoipa::path(
    patch,
    path = "/v1/projects/{project_id}",
    tag = "projects",
    params(("project_id" = i64, Path)),
    request_body = ProjectPatch,
    responses((status = 200, body = Project), Refused)
)]
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<ProjectPatch>,
) -> Result<axum::Json<Project>, ApiError> {
    let changes = ProjectChanges::try_from(body)?;
    state
        .storage
        .update_project(id, &changes)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(id))
}

/// `DELETE /api/v1/projects/{id}`: 204; its experiments go with it.
#[utoipa::path(
    delete,
    path = "/v1/projects/{project_id}",
    tag = "projects",
    params(("project_id" = i64, Path)),
    responses((status = 204, description = "Deleted with everything in it"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    // Keys first: once the rows are gone nothing names the objects any more.
    let keys = state.storage.project_object_keys(id).await?;
    if state.storage.delete_project(id).await? {
        // Then those no remaining row names (a model version, another experiment's
        // registered artifact).
        let keys = state.storage.unshared_keys(keys).await?;
        state.objects.delete_all_logged(&keys).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(not_found(id))
    }
}

/// The filter of `GET /projects/{id}/results.csv`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsFilter {
    /// Only the experiments that used this dataset version (attached under any alias):
    /// seed 004's `load_experiment_results_for_dataset`.
    #[param(minimum = 1)]
    dataset_version_id: Option<i64>,
}

/// `GET /api/v1/projects/{id}/results.csv?dataset_version_id`: one row per experiment
/// (id, name, status, creation time), every VALUE log (and the last value of every LINE
/// log of one series named as the log, as `/values` answers it) and every parameter
/// (`parameters.` + its name) a column; an empty cell is a value the experiment did not
/// log. Streamed.
#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}/results.csv",
    tag = "projects",
    params(("project_id" = i64, Path), ResultsFilter),
    responses((status = 200, content_type = "text/csv", description = "The results table, streamed"), Refused)
)]
pub async fn results_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(filter): Query<ResultsFilter>,
) -> Result<Response, ApiError> {
    state
        .storage
        .get_project(id)
        .await?
        .ok_or_else(|| not_found(id))?;
    if let Some(version_id) = filter.dataset_version_id {
        if state
            .storage
            .get_dataset_version(version_id)
            .await?
            .is_none()
        {
            return Err(ApiError::validation(
                "dataset_version_id",
                format!("no dataset version with id {version_id}"),
            ));
        }
    }
    let of = ResultsOf {
        project_id: id,
        dataset_version_id: filter.dataset_version_id,
    };
    let rows = export::results_csv(state.storage.clone(), of).await?;
    Ok(csv_attachment(
        &format!("project-{id}-results.csv"),
        Body::from_stream(rows),
    ))
}

pub fn not_found(id: i64) -> ApiError {
    ApiError::NotFound(format!("no project with id {id}"))
}
