//! Live logging and job status (seed 000 `send_logging`, `start_logging_chapter`,
//! `update_job_status`): scripts append lines; a page follows them by line number.

use super::experiments;
use super::Refused;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use trackboard_api::{Experiment, JobLog, JobStatusUpdate, NewJobLogLines};

/// The most lines one request may append.
pub const MAX_LINES_PER_REQUEST: usize = 10_000;
/// The longest line kept, in characters.
pub const MAX_LINE_CHARS: usize = 10_000;
/// Lines per read when no limit is given.
const DEFAULT_READ: u32 = 1_000;

/// Answer of an append.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Appended {
    pub appended: u64,
    pub last_line_number: u64,
}

/// `POST /api/v1/experiments/{id}/job/logs`: 201.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/job/logs",
    tag = "job",
    params(("experiment_id" = i64, Path)),
    request_body = NewJobLogLines,
    responses((status = 201, body = Appended), Refused)
)]
pub async fn append(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<NewJobLogLines>,
) -> Result<(StatusCode, axum::Json<Appended>), ApiError> {
    let chapter = body
        .chapter
        .as_deref()
        .map(|chapter| checked_name("chapter", chapter, 200))
        .transpose()?;
    let mut lines = Vec::new();
    for (index, text) in body.lines.iter().enumerate() {
        if text.is_empty() {
            return Err(ApiError::validation(
                format!("lines[{index}]"),
                "a line must not be empty (send \"\\n\" for a blank line)",
            ));
        }
        if text.chars().count() > MAX_LINE_CHARS {
            return Err(ApiError::validation(
                format!("lines[{index}]"),
                format!("a line may hold at most {MAX_LINE_CHARS} characters"),
            ));
        }
        lines.extend(text.lines().map(str::to_owned));
    }
    if lines.is_empty() {
        return Err(ApiError::validation("lines", "send at least one line"));
    }
    if lines.len() > MAX_LINES_PER_REQUEST {
        return Err(ApiError::PayloadTooLarge(format!(
            "one request may append at most {MAX_LINES_PER_REQUEST} lines"
        )));
    }
    experiments::existing(&state.storage, id).await?;
    let last_line_number = state
        .storage
        .append_job_log(id, chapter.as_deref(), &lines)
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Appended {
            appended: lines.len() as u64,
            last_line_number,
        }),
    ))
}

/// `?after=N&limit=M` of a read.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadParams {
    /// Only lines after this line number.
    #[param(minimum = 0)]
    after: Option<i64>,
    /// Lines per answer, 1 to 10,000.
    #[param(minimum = 1, maximum = 10000)]
    limit: Option<i64>,
}

/// `GET /api/v1/experiments/{id}/job/logs?after&limit`: lines after `after`, the job
/// status, and the chapters.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/job/logs",
    tag = "job",
    params(("experiment_id" = i64, Path), ReadParams),
    responses((status = 200, body = JobLog), Refused)
)]
pub async fn read(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(params): Query<ReadParams>,
) -> Result<axum::Json<JobLog>, ApiError> {
    let after = match params.after {
        None => None,
        Some(after) if after >= 0 => Some(after as u64),
        Some(after) => {
            return Err(ApiError::validation(
                "after",
                format!("after must be 0 or more, got {after}"),
            ))
        }
    };
    let limit = match params.limit {
        None => DEFAULT_READ,
        Some(limit) if (1..=10_000).contains(&limit) => limit as u32,
        Some(limit) => {
            return Err(ApiError::validation(
                "limit",
                format!("limit must be between 1 and 10000, got {limit}"),
            ))
        }
    };
    let experiment = experiments::existing(&state.storage, id).await?;
    let lines = state.storage.job_log_lines(id, after, limit).await?;
    let chapters = state.storage.job_log_chapters(id).await?;
    Ok(axum::Json(JobLog {
        status: experiment.job_status,
        last_line_number: lines.last().map(|line| line.line_number).or(after),
        lines,
        chapters,
    }))
}

/// `PUT /api/v1/experiments/{id}/job/status`: the experiment, updated.
#[utoipa::path(
    put,
    path = "/v1/experiments/{experiment_id}/job/status",
    tag = "job",
    params(("experiment_id" = i64, Path)),
    request_body = JobStatusUpdate,
    responses((status = 200, body = Experiment), Refused)
)]
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<JobStatusUpdate>,
) -> Result<axum::Json<Experiment>, ApiError> {
    if !state.storage.set_job_status(id, body.status).await? {
        return Err(ApiError::NotFound(format!("no experiment with id {id}")));
    }
    experiments::existing(&state.storage, id)
        .await
        .map(axum::Json)
}
