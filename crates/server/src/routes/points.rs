//! Reading LINE logs: a step range at a pixel width (M4-reduced when larger), the same
//! across experiments on one grid, and a streamed full-resolution CSV.

use super::{experiments, logs};
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::storage::{SeriesRow, Storage};
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::Deserialize;
use trackboard_api::ErrorEnvelope;
use trackboard_api::{
    encode_comparison, encode_points, ComparedLine, LineComparison, LinePoints, LogType,
    SeriesPoints, POINTS_MEDIA_TYPE,
};

/// The widest chart a request may ask points for, in device pixels.
pub const MAX_WIDTH: u32 = 10_000;
/// Width when none is given.
pub const DEFAULT_WIDTH: u32 = 1_000;
/// The most experiments one comparison may name.
pub const MAX_COMPARED: usize = 500;
/// Points per database read while streaming a CSV.
const CSV_PAGE: u32 = 10_000;

/// `?from&to&width&series` of a points request.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeParams {
    from: Option<i64>,
    to: Option<i64>,
    width: Option<i64>,
    /// Only this series.
    series: Option<String>,
}

/// A checked range request; `from`/`to` absent mean the data's own bounds.
#[derive(Clone, Debug)]
struct Range {
    from: Option<i64>,
    to: Option<i64>,
    width: u32,
}

impl Range {
    fn parse(params: &RangeParams) -> Result<Range, ApiError> {
        let width = match params.width {
            None => DEFAULT_WIDTH,
            Some(width) if (1..=i64::from(MAX_WIDTH)).contains(&width) => width as u32,
            Some(width) => {
                return Err(ApiError::validation(
                    "width",
                    format!("width must be between 1 and {MAX_WIDTH} pixels, got {width}"),
                ))
            }
        };
        if let (Some(from), Some(to)) = (params.from, params.to) {
            if from > to {
                return Err(ApiError::validation(
                    "to",
                    format!("to ({to}) must not be before from ({from})"),
                ));
            }
        }
        Ok(Range {
            from: params.from,
            to: params.to,
            width,
        })
    }

    /// The range with absent ends filled from the series' bounds; `None` when empty.
    fn resolve<'a>(
        &self,
        series: impl Iterator<Item = &'a SeriesRow> + Clone,
    ) -> Option<(i64, i64)> {
        let from = self
            .from
            .or_else(|| series.clone().filter_map(|s| s.first_step).min())?;
        let to = self
            .to
            .or_else(|| series.filter_map(|s| s.last_step).max())?;
        (from <= to).then_some((from, to))
    }
}

/// Each series reduced, in their order. Series are reduced on up to
/// [`PARALLEL_REDUCTIONS`] tasks at once, so a comparison of many experiments uses
/// every core.
async fn reduce_all(
    storage: &Storage,
    series: &[&SeriesRow],
    bounds: Option<(i64, i64)>,
    width: u32,
) -> Result<Vec<SeriesPoints>, ApiError> {
    let owned: Vec<(Storage, SeriesRow)> = series
        .iter()
        .map(|&row| (storage.clone(), row.clone()))
        .collect();
    let reductions = owned.into_iter().map(move |(storage, row)| {
        AbortOnDrop(tokio::spawn(reduce_one(storage, row, bounds, width)))
    });
    let mut answered = Vec::with_capacity(series.len());
    let mut done = futures_util::stream::iter(reductions).buffered(PARALLEL_REDUCTIONS);
    while let Some(joined) = done.next().await {
        let points = joined.map_err(|error| ApiError::Internal(error.into()))??;
        answered.push(points);
    }
    Ok(answered)
}

async fn reduce_one(
    storage: Storage,
    row: SeriesRow,
    bounds: Option<(i64, i64)>,
    width: u32,
) -> sqlx::Result<SeriesPoints> {
    let mut points = SeriesPoints {
        name: row.name.clone(),
        ..SeriesPoints::default()
    };
    if let Some((from, to)) = bounds {
        let reduced = storage.reduce_series(&row, from, to, width).await?;
        points.steps = reduced.steps;
        points.values = reduced.values;
        points.reduced = reduced.reduced;
        points.points_in_range = reduced.count;
    }
    Ok(points)
}

/// A spawned task aborted when its handle is dropped: when a client gives up on a
/// comparison (a quick zoom sends a new one), its reductions stop instead of running on.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> std::future::Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(context)
    }
}

/// Series reduced at once by one request: enough for every core, few enough that
/// one request leaves database connections for the others.
const PARALLEL_REDUCTIONS: usize = 4;

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

/// `GET /api/v1/experiments/{id}/logs/{name}/points?from&to&width&series`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}/points",
    tag = "points",
    params(("experiment_id" = i64, Path), ("name" = String, Path), RangeParams),
    responses((status = 200, content((LinePoints = "application/json"), (PointsFrame = "application/vnd.trackboard.points")), description = "JSON, or the binary points frame (docs/API.md) when `Accept` asks for it"), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
)]
pub async fn points(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    Query(params): Query<RangeParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let range = Range::parse(&params)?;
    let log_id = line_log(&state.storage, experiment_id, &name).await?;
    let all = state.storage.line_series(log_id).await?;
    let chosen: Vec<&SeriesRow> = all
        .iter()
        .filter(|row| {
            params
                .series
                .as_ref()
                .is_none_or(|wanted| &row.name == wanted)
        })
        .collect();
    if let (Some(wanted), true) = (&params.series, chosen.is_empty()) {
        return Err(ApiError::NotFound(format!(
            "the log {name:?} has no series named {wanted:?}"
        )));
    }
    let bounds = range.resolve(chosen.iter().copied());
    let series = reduce_all(&state.storage, &chosen, bounds, range.width).await?;
    let answer = LinePoints {
        experiment_id,
        log_name: name,
        from: bounds.map(|(from, _)| from),
        to: bounds.map(|(_, to)| to),
        width: range.width,
        series,
    };
    Ok(negotiated(&headers, answer, encode_points))
}

/// The binary points frame (documentation only; its layout is in docs/API.md).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(value_type = String, format = Binary)]
pub struct PointsFrame(Vec<u8>);

/// Whether the client's `Accept` asks for the binary points frame (named, and not
/// refused with `q=0`).
fn wants_frame(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|media| {
            let mut parts = media.split(';').map(str::trim);
            parts.next() == Some(POINTS_MEDIA_TYPE)
                && !parts.any(|parameter| {
                    parameter
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        == Some(0.0)
                })
        })
}

/// The answer as the binary points frame when the client asked for it, JSON otherwise;
/// `Vary: Accept` keeps caches from mixing the two.
fn negotiated<T: serde::Serialize>(
    headers: &HeaderMap,
    answer: T,
    encode: fn(&T) -> Vec<u8>,
) -> Response {
    let vary = (header::VARY, header::ACCEPT.as_str());
    if wants_frame(headers) {
        let body = encode(&answer);
        ([(header::CONTENT_TYPE, POINTS_MEDIA_TYPE), vary], body).into_response()
    } else {
        ([vary], axum::Json(answer)).into_response()
    }
}

/// `?experiment_ids=1,2,3&log=loss&from&to&width` of a comparison.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    experiment_ids: Option<String>,
    log: Option<String>,
    // Not `#[serde(flatten)]`: query strings carry no types, and flattening loses the
    // number parsing.
    from: Option<i64>,
    to: Option<i64>,
    width: Option<i64>,
}

fn parse_ids(text: &str) -> Result<Vec<i64>, ApiError> {
    let field = "experiment_ids";
    let mut ids = Vec::new();
    for (index, part) in text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let id: i64 = part.parse().map_err(|_| {
            ApiError::validation(
                field,
                format!("experiment_ids[{index}] is not an id: {part:?}"),
            )
        })?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.is_empty() || ids.len() > MAX_COMPARED {
        return Err(ApiError::validation(
            field,
            format!("experiment_ids must list 1 to {MAX_COMPARED} comma-separated ids"),
        ));
    }
    Ok(ids)
}

/// `GET /api/v1/line-comparison`: one LINE log across experiments on one step grid.
#[utoipa::path(
    get,
    path = "/v1/line-comparison",
    tag = "points",
    params(ComparisonParams),
    responses((status = 200, content((LineComparison = "application/json"), (PointsFrame = "application/vnd.trackboard.points")), description = "JSON, or the binary points frame (docs/API.md) when `Accept` asks for it"), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
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
    let range = Range::parse(&RangeParams {
        from: params.from,
        to: params.to,
        width: params.width,
        series: None,
    })?;
    for &id in &ids {
        if state.storage.get_experiment(id).await?.is_none() {
            return Err(ApiError::validation(
                "experiment_ids",
                format!("no experiment with id {id}"),
            ));
        }
    }
    let found = state
        .storage
        .line_series_by_experiment(&ids, &log_name)
        .await?;
    let bounds = range.resolve(found.iter().map(|(_, series)| series));
    // Every experiment's series in one batch, so the reductions of different
    // experiments run side by side; regrouped by experiment afterwards, in order.
    let every: Vec<&SeriesRow> = found.iter().map(|(_, series)| series).collect();
    let mut reduced = reduce_all(&state.storage, &every, bounds, range.width)
        .await?
        .into_iter();
    let mut experiments: Vec<ComparedLine> = ids
        .iter()
        .map(|&experiment_id| ComparedLine {
            experiment_id,
            series: Vec::new(),
        })
        .collect();
    for (experiment_id, _) in &found {
        let points = reduced
            .next()
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a reduction went missing")))?;
        if let Some(line) = experiments
            .iter_mut()
            .find(|line| line.experiment_id == *experiment_id)
        {
            line.series.push(points);
        }
    }
    let answer = LineComparison {
        log_name,
        from: bounds.map(|(from, _)| from),
        to: bounds.map(|(_, to)| to),
        width: range.width,
        experiments,
    };
    Ok(negotiated(&headers, answer, encode_comparison))
}

/// A file name safe in a `Content-Disposition` header: ASCII letters, digits, `-`, `_`, `.`.
pub fn safe_filename(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    let trimmed = cleaned.trim_matches('.');
    if trimmed.is_empty() {
        "download".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `GET /api/v1/experiments/{id}/logs/{name}/points.csv`: every point of every series,
/// `series,step,value` (an empty value is a gap), streamed page by page.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}/points.csv",
    tag = "points",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "text/csv", description = "series,step,value for every point, streamed"), (status = "4XX", description = "Refused; the error envelope says why and names the field", body = ErrorEnvelope)),
    security(("bearer" = []))
)]
pub async fn csv(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
) -> Result<Response, ApiError> {
    let log_id = line_log(&state.storage, experiment_id, &name).await?;
    let series = state.storage.line_series(log_id).await?;
    let storage = state.storage.clone();
    let header_line = futures_util::stream::once(async {
        Ok::<Bytes, sqlx::Error>(Bytes::from_static(b"series,step,value\n"))
    });
    let rows = futures_util::stream::try_unfold((0usize, None::<i64>), move |(index, after)| {
        let storage = storage.clone();
        let series = series.clone();
        async move {
            let mut index = index;
            let mut after = after;
            while let Some(row) = series.get(index) {
                let page = storage.points_after(row.id, after, CSV_PAGE).await?;
                if page.is_empty() {
                    index += 1;
                    after = None;
                    continue;
                }
                let name = csv_field(&row.name);
                let mut chunk = String::with_capacity(page.len() * 24);
                for (step, value) in &page {
                    chunk.push_str(&name);
                    chunk.push(',');
                    chunk.push_str(&step.to_string());
                    chunk.push(',');
                    if let Some(value) = value {
                        chunk.push_str(&value.to_string());
                    }
                    chunk.push('\n');
                }
                let last = page.last().map(|(step, _)| *step);
                return Ok(Some((Bytes::from(chunk), (index, last))));
            }
            Ok(None)
        }
    });
    let body = Body::from_stream(futures_util::StreamExt::chain(header_line, rows));
    let filename = safe_filename(&format!("experiment-{experiment_id}-{name}.csv"));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_dropped_reduction_stops() {
        let (alive, gone) = tokio::sync::oneshot::channel::<()>();
        let task = AbortOnDrop(tokio::spawn(async move {
            let _alive = alive;
            std::future::pending::<()>().await;
        }));
        drop(task);
        // Aborting drops the task's future, and with it the sender it holds.
        let closed = tokio::time::timeout(std::time::Duration::from_secs(10), gone).await;
        assert!(
            matches!(closed, Ok(Err(_))),
            "the task still runs: {closed:?}"
        );
    }

    #[test]
    fn only_an_accept_naming_the_frame_gets_it() {
        let accept = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, value.parse().expect("a header value"));
            wants_frame(&headers)
        };
        assert!(accept("application/vnd.trackboard.points"));
        assert!(accept(
            "application/json;q=0.5, application/vnd.trackboard.points;q=1"
        ));
        assert!(!accept("application/json"));
        assert!(!accept("*/*"));
        assert!(!accept("application/vnd.trackboard.points2"));
        assert!(!accept(
            "application/json, application/vnd.trackboard.points; q=0"
        ));
        assert!(accept("application/vnd.trackboard.points; q=0.1"));
        assert!(!wants_frame(&HeaderMap::new()));
    }

    #[test]
    fn filenames_keep_only_safe_characters() {
        assert_eq!(
            safe_filename("experiment-1-Loss/total.csv"),
            "experiment-1-Loss_total.csv"
        );
        assert_eq!(safe_filename("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_filename("..."), "download");
        assert_eq!(safe_filename("a\"b\r\nc"), "a_b__c");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("train"), "train");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn ids_are_deduplicated_and_bounded() {
        assert_eq!(parse_ids("3, 1,3").ok(), Some(vec![3, 1]));
        assert!(parse_ids("").is_err());
        assert!(parse_ids("1,x").is_err());
        let many: Vec<String> = (0..=MAX_COMPARED).map(|i| i.to_string()).collect();
        assert!(parse_ids(&many.join(",")).is_err());
    }
}
