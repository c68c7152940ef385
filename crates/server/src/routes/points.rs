//! Reading LINE logs over HTTP: a step range at a pixel width (M4-reduced when larger),
//! the same across experiments on one grid, and a streamed full-resolution CSV. The
//! work is the points service's (`crate::points`); this file reads requests and
//! chooses the answer's format.

use super::respond::{csv_attachment, negotiated, PointsFrame};
use super::Refused;
use super::{experiments, logs};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::points::{compare, csv_stream, reduce_all, Range};
use crate::state::AppState;
use crate::storage::{SeriesRow, Storage};
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::{StreamExt, TryStreamExt};
use serde::Deserialize;
use trackboard_api::{LineComparison, LineComparisons, LinePoints, LineTimes, LogType};
use trackboard_series::{encode_comparison, encode_comparisons, encode_points};

/// The most experiments one comparison may name.
pub const MAX_COMPARED: usize = 500;

/// `?from&to&width&series` of a points request.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    /// The first step (default: the series' first); not after `to`.
    from: Option<i64>,
    /// The last step (default: the series' last).
    to: Option<i64>,
    /// The chart's width in device pixels, 1 to 10,000 (default 1,000).
    #[param(minimum = 1, maximum = 10000)]
    width: Option<i64>,
    /// Only this series.
    series: Option<String>,
}

/// The LINE log's id, or the 404/422 that explains why there is none.
async fn line_log(storage: &Storage, experiment_id: i64, name: &str) -> Result<i64, ApiError> {
    experiments::existing(storage, experiment_id).await?;
    match storage.log_head(experiment_id, name).await? {
        Some((id, LogType::Line)) => Ok(id),
        Some((_, other)) => Err(ApiError::validation(
            "name",
            format!(
                "the log {name:?} is a {} log; points exist only for LINE logs",
                other.as_str()
            ),
        )),
        None => Err(logs::not_found(experiment_id, name)),
    }
}

/// The series `wanted` names (all without it), or the 404 saying the log has no such one.
fn chosen_series<'a>(
    all: &'a [SeriesRow],
    wanted: Option<&str>,
    name: &str,
) -> Result<Vec<&'a SeriesRow>, ApiError> {
    let chosen: Vec<&SeriesRow> = all
        .iter()
        .filter(|row| wanted.is_none_or(|wanted| row.name == wanted))
        .collect();
    match wanted {
        Some(wanted) if chosen.is_empty() => Err(ApiError::NotFound(format!(
            "the log {name:?} has no series named {wanted:?}"
        ))),
        _ => Ok(chosen),
    }
}

/// `GET /api/v1/experiments/{id}/logs/{name}/points?from&to&width&series`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}/points",
    tag = "points",
    params(("experiment_id" = i64, Path), ("name" = String, Path), RangeParams),
    responses((status = 200, content((LinePoints = "application/json"), (PointsFrame = "application/vnd.trackboard.points")), description = "JSON, or the binary points frame (docs/API.md) when `Accept` asks for it"), Refused)
)]
pub async fn points(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    Query(params): Query<RangeParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let range = Range::checked(params.from, params.to, params.width)?;
    let log_id = line_log(&state.storage, experiment_id, &name).await?;
    let all = state.storage.line_series(log_id).await?;
    let chosen = chosen_series(&all, params.series.as_deref(), &name)?;
    let window = range.resolve(chosen.iter().copied());
    let series = reduce_all(&state.storage, &chosen, window).await?;
    let answer = LinePoints {
        experiment_id,
        log_name: name,
        from: window.map(|w| w.from),
        to: window.map(|w| w.to),
        width: range.width,
        series,
    };
    Ok(negotiated(&headers, answer, encode_points))
}

/// `?series` of a times request.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesParam {
    /// Only this series.
    series: Option<String>,
}

/// `GET /api/v1/experiments/{id}/logs/{name}/times?series`: when each series' points
/// were logged, as the step function `line_times` keeps (charts against wall time).
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}/times",
    tag = "points",
    params(("experiment_id" = i64, Path), ("name" = String, Path), SeriesParam),
    responses((status = 200, body = LineTimes), Refused)
)]
pub async fn times(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    Query(params): Query<SeriesParam>,
) -> Result<axum::Json<LineTimes>, ApiError> {
    let log_id = line_log(&state.storage, experiment_id, &name).await?;
    let all = state.storage.line_series(log_id).await?;
    let chosen = chosen_series(&all, params.series.as_deref(), &name)?;
    Ok(axum::Json(LineTimes {
        experiment_id,
        series: state.storage.series_times(&chosen).await?,
        log_name: name,
    }))
}

/// `?experiment_ids=1,2,3&log=loss&from&to&width` of a comparison.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    /// 1 to 500 experiment ids, comma-separated (`3,1,2`).
    #[param(required = true, pattern = "^-?[0-9]{1,18}(,-?[0-9]{1,18}){0,499}$")]
    experiment_ids: Option<String>,
    /// The LINE log to compare.
    #[param(required = true, pattern = "\\S")]
    log: Option<String>,
    // Not `#[serde(flatten)]`: query strings carry no types, and flattening loses the
    // number parsing.
    /// The first step (default: the first of any series); not after `to`.
    from: Option<i64>,
    /// The last step (default: the last of any series).
    to: Option<i64>,
    /// The chart's width in device pixels, 1 to 10,000 (default 1,000).
    #[param(minimum = 1, maximum = 10000)]
    width: Option<i64>,
}

/// The ids of `experiment_ids`: 1 to [`MAX_COMPARED`] comma-separated integers of at
/// most 18 digits, nothing else (the pattern the OpenAPI document declares); repeats
/// count once.
pub(super) fn parse_ids(text: &str) -> Result<Vec<i64>, ApiError> {
    parse_id_list("experiment_ids", text)
}

/// 1 to [`MAX_COMPARED`] comma-separated ids of the query parameter `field`, each kept
/// once in its first place; a malformed list is a 422 naming `field` and the position.
pub(super) fn parse_id_list(field: &str, text: &str) -> Result<Vec<i64>, ApiError> {
    let parts: Vec<&str> = text.split(',').collect();
    if text.is_empty() || parts.len() > MAX_COMPARED {
        return Err(ApiError::validation(
            field,
            format!("{field} must list 1 to {MAX_COMPARED} comma-separated ids"),
        ));
    }
    let mut ids = Vec::new();
    for (index, part) in parts.into_iter().enumerate() {
        let digits = part.strip_prefix('-').unwrap_or(part);
        let id = (!digits.is_empty()
            && digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            ApiError::validation(field, format!("{field}[{index}] is not an id: {part:?}"))
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// `GET /api/v1/line-comparison`: one LINE log across experiments on one step grid.
#[utoipa::path(
    get,
    path = "/v1/line-comparison",
    tag = "points",
    params(ComparisonParams),
    responses((status = 200, content((LineComparison = "application/json"), (PointsFrame = "application/vnd.trackboard.points")), description = "JSON, or the binary points frame (docs/API.md) when `Accept` asks for it"), Refused)
)]
pub async fn comparison(
    State(state): State<AppState>,
    Query(params): Query<ComparisonParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let ids = parse_ids(params.experiment_ids.as_deref().unwrap_or(""))?;
    let log_name = params
        .log
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| ApiError::validation("log", "log must name the LINE log to compare"))?;
    let range = Range::checked(params.from, params.to, params.width)?;
    all_exist(&state.storage, &ids).await?;
    let answer = compared(&state.storage, &ids, log_name, range).await?;
    Ok(negotiated(&headers, answer, encode_comparison))
}

/// A 422 naming `experiment_ids` when one of `ids` is no experiment.
async fn all_exist(storage: &Storage, ids: &[i64]) -> Result<(), ApiError> {
    for &id in ids {
        if storage.get_experiment(id).await?.is_none() {
            return Err(ApiError::validation(
                "experiment_ids",
                format!("no experiment with id {id}"),
            ));
        }
    }
    Ok(())
}

/// One LINE log across `ids`, reduced on the grid of `range`.
async fn compared(
    storage: &Storage,
    ids: &[i64],
    log_name: String,
    range: Range,
) -> Result<LineComparison, ApiError> {
    let found = storage.line_series_by_experiment(ids, &log_name).await?;
    let window = range.resolve(found.iter().map(|(_, series)| series));
    let experiments = compare(storage, ids, &found, window).await?;
    Ok(LineComparison {
        log_name,
        from: window.map(|w| w.from),
        to: window.map(|w| w.to),
        width: range.width,
        experiments,
    })
}

/// The most LINE logs one batch of comparisons may name.
pub const MAX_BATCH_LOGS: usize = 100;

/// `?experiment_ids=1,2,3&logs=loss%0Aaccuracy&from&to&width` of a batch of comparisons.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonsParams {
    /// 1 to 500 experiment ids, comma-separated (`3,1,2`).
    #[param(required = true, pattern = "^-?[0-9]{1,18}(,-?[0-9]{1,18}){0,499}$")]
    experiment_ids: Option<String>,
    /// 1 to 100 LINE log names, one per line (`loss%0Aaccuracy`): names hold no control
    /// characters, so a newline never splits one.
    #[param(
        required = true,
        pattern = "^[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*(\\n[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*){0,99}$"
    )]
    logs: Option<String>,
    /// The first step of every comparison (default: each one's first of any series).
    from: Option<i64>,
    /// The last step of every comparison (default: each one's last of any series).
    to: Option<i64>,
    /// The charts' width in device pixels, 1 to 10,000 (default 1,000).
    #[param(minimum = 1, maximum = 10000)]
    width: Option<i64>,
}

/// The names of `logs`: 1 to [`MAX_BATCH_LOGS`] lines, each with a non-space character
/// and no control character (the pattern the OpenAPI document declares); repeats count
/// once.
fn parse_log_names(text: &str) -> Result<Vec<String>, ApiError> {
    let lines: Vec<&str> = text.split('\n').collect();
    if lines.len() > MAX_BATCH_LOGS {
        return Err(ApiError::validation(
            "logs",
            format!("logs must list 1 to {MAX_BATCH_LOGS} log names, one per line"),
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for (index, line) in lines.into_iter().enumerate() {
        if line.trim().is_empty() || line.chars().any(char::is_control) {
            return Err(ApiError::validation(
                "logs",
                format!("logs[{index}] is not a log name: {line:?}"),
            ));
        }
        if !names.iter().any(|name| name == line) {
            names.push(line.to_owned());
        }
    }
    Ok(names)
}

/// `GET /api/v1/line-comparisons`: several LINE logs across the same experiments in
/// one answer (a compare view's or an experiment page's charts), each reduced as
/// `line-comparison` reduces it alone.
#[utoipa::path(
    get,
    path = "/v1/line-comparisons",
    tag = "points",
    params(ComparisonsParams),
    responses((status = 200, content((LineComparisons = "application/json"), (PointsFrame = "application/vnd.trackboard.points")), description = "JSON, or the binary points frame (docs/API.md) when `Accept` asks for it"), Refused)
)]
pub async fn comparisons(
    State(state): State<AppState>,
    Query(params): Query<ComparisonsParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let ids = parse_ids(params.experiment_ids.as_deref().unwrap_or(""))?;
    let names = parse_log_names(params.logs.as_deref().unwrap_or(""))?;
    let range = Range::checked(params.from, params.to, params.width)?;
    all_exist(&state.storage, &ids).await?;
    // Two comparisons at a time: one's series lookup overlaps the other's reductions.
    let storage = &state.storage;
    let comparisons: Vec<LineComparison> = futures_util::stream::iter(names)
        .map(|name| compared(storage, &ids, name, range))
        .buffered(2)
        .try_collect()
        .await?;
    Ok(negotiated(
        &headers,
        LineComparisons { comparisons },
        encode_comparisons,
    ))
}

/// `GET /api/v1/experiments/{id}/logs/{name}/points.csv`: every point of every series,
/// `series,step,value` (an empty value is a gap), streamed page by page.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}/points.csv",
    tag = "points",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "text/csv", description = "series,step,value for every point, streamed"), Refused)
)]
pub async fn csv(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let log_id = line_log(&state.storage, experiment_id, &name).await?;
    let series = state.storage.line_series(log_id).await?;
    let body = Body::from_stream(csv_stream(state.storage.clone(), series));
    Ok(csv_attachment(
        &format!("experiment-{experiment_id}-{name}.csv"),
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deduplicated_and_bounded() {
        assert_eq!(parse_ids("3,1,3").ok(), Some(vec![3, 1]));
        assert_eq!(parse_ids("-4").ok(), Some(vec![-4]));
        for refused in ["", "1,x", "1,,2", " 1", "+1", "1,", "1234567890123456789"] {
            assert!(parse_ids(refused).is_err(), "{refused:?}");
        }
        let many: Vec<String> = (0..=MAX_COMPARED).map(|i| i.to_string()).collect();
        assert!(parse_ids(&many.join(",")).is_err());
    }

    #[test]
    fn log_names_are_lines_deduplicated_and_bounded() {
        assert_eq!(
            parse_log_names("loss\nacc, top-1\nloss").ok(),
            Some(vec!["loss".to_owned(), "acc, top-1".to_owned()])
        );
        for refused in ["", "loss\n", "\nloss", "a\n \nb", "a\r\nb", "a\tb"] {
            assert!(parse_log_names(refused).is_err(), "{refused:?}");
        }
        let many: Vec<String> = (0..=MAX_BATCH_LOGS).map(|i| format!("m{i}")).collect();
        assert!(parse_log_names(&many.join("\n")).is_err());
        assert!(parse_log_names(&many[..MAX_BATCH_LOGS].join("\n")).is_ok());
    }
}
