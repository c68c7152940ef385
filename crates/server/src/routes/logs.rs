//! Logs of an experiment (seed 000 `log`, `log_parameters`, `get_log`, `delete_log`…).

use super::experiments;
use super::Refused;
use crate::domain::{
    checked_name, flatten_parameters, parse_log_data, with_wall_times, IdempotencyKey, LogData,
    Once, IDEMPOTENCY_HEADER, PARAMETERS_LOG,
};
use crate::error::ApiError;
use crate::extract::{Json, Path, Query};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::{LogListQuery, ValuesRow};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use trackboard_api::{ExperimentValues, RewindLine, Rewound};
use trackboard_api::{Log, LogPatch, LogType, NewLog, Page, LOG_NAME_MAX_CHARS};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

/// The filter of `GET /experiments/{id}/logs`, beside [`ListParams`].
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogFilter {
    /// Only logs of this type (`LINE`, `VALUE`, …; any case).
    #[serde(rename = "type")]
    #[param(
        pattern = "^([Vv][Aa][Ll][Uu][Ee]|[Ll][Ii][Nn][Ee]|[Bb][Aa][Rr]|[Tt][Aa][Bb][Ll][Ee]|[Hh][Ee][Aa][Tt][Mm][Aa][Pp]|[Ii][Mm][Aa][Gg][Ee]|[Ll][Aa][Bb][Ee][Ll][Mm][Aa][Pp]|[Ee][Vv][Aa][Ll][Uu][Aa][Tt][Ii][Oo][Nn])$"
    )]
    log_type: Option<String>,
}

fn list_query(list: ListParams<Log>, filter: LogFilter) -> Result<LogListQuery, ApiError> {
    let (page, order) = list.checked()?;
    let log_type = filter
        .log_type
        .map(|text| {
            LogType::parse(&text).ok_or_else(|| {
                ApiError::validation("type", format!("unknown log type {text:?}; the types are VALUE, LINE, BAR, TABLE, HEATMAP, IMAGE, LABELMAP"))
            })
        })
        .transpose()?;
    Ok(LogListQuery {
        page,
        order,
        log_type,
    })
}

/// `GET /api/v1/experiments/{id}/logs?limit&offset&order_by&type`.
///
/// `order_by`: `name` (default), `created`, `updated` or `type`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs",
    tag = "logs",
    params(("experiment_id" = i64, Path), ListParams<Log>, LogFilter),
    responses((status = 200, body = Page<Log>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Query(list): Query<ListParams<Log>>,
    Query(filter): Query<LogFilter>,
) -> Result<axum::Json<Page<Log>>, ApiError> {
    let query = list_query(list, filter)?;
    experiments::existing(&state.storage, experiment_id).await?;
    let (items, total) = state.storage.list_logs(experiment_id, &query).await?;
    Ok(axum::Json(query.page.answer(items, total)))
}

/// `POST /api/v1/experiments/{id}/logs`: 201 when the log is new, 200 when data was
/// appended or replaced.
///
/// With an `Idempotency-Key` header, the write is applied once: sent again with the
/// same key and body (a retry after a lost answer), it is answered as the first time
/// and nothing is stored twice. A key is remembered for 24 hours.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/logs",
    tag = "logs",
    params(("experiment_id" = i64, Path), IdempotencyParam),
    request_body = NewLog,
    responses((status = 201, body = Log, description = "A new log"), (status = 200, body = Log, description = "Appended or replaced"), Refused)
)]
pub async fn write(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    headers: HeaderMap,
    Json(body): Json<NewLog>,
) -> Result<(StatusCode, axum::Json<Log>), ApiError> {
    let once = once(&headers, "logs", experiment_id, &body)?;
    let name = checked_name("name", &body.name, LOG_NAME_MAX_CHARS)?;
    let data = with_wall_times(
        parse_log_data(&name, body.log_type, &body.data)?,
        body.wall_times.clone(),
    )?;
    store(
        &state,
        experiment_id,
        &name,
        &data,
        body.replace,
        once.as_ref(),
    )
    .await
}

/// `POST /api/v1/experiments/{id}/parameters`: stores the parameters as the TABLE log
/// `parameters`, replacing the previous one (seed 000 `log_parameters`). Nested objects
/// and lists are flattened to dotted keys (`optimizer.lr`, `layers[0]`), so every view
/// shows and compares them key by key.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/parameters",
    tag = "logs",
    params(("experiment_id" = i64, Path)),
    request_body(content = ParametersBody, description = "A flat map of parameters"),
    responses((status = 201, body = Log), (status = 200, body = Log, description = "Replaced"), Refused)
)]
pub async fn log_parameters(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
    Json(body): Json<serde_json::Value>,
) -> Result<(StatusCode, axum::Json<Log>), ApiError> {
    let flat = flatten_parameters(&body)?;
    let data = parse_log_data(PARAMETERS_LOG, LogType::Table, &flat)?;
    store(
        &state,
        experiment_id,
        PARAMETERS_LOG,
        &data,
        Some(true),
        None,
    )
    .await
}

/// The body of `log_parameters` as the document declares it: names that are not only
/// white space, each with a `ParameterValue` (a number, string or boolean, or a non-empty
/// list or object of them, nested as deep as a config is).
pub struct ParametersBody;

impl utoipa::PartialSchema for ParametersBody {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(Ref::from_schema_name("ParameterValue")))
            .build();
        object.property_names = Some(Box::new(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some("\\S"))
                .into(),
        ));
        Schema::Object(object).into()
    }
}

impl utoipa::ToSchema for ParametersBody {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push(("ParameterValue".to_owned(), parameter_value()));
    }
}

/// A parameter: a scalar, or a non-empty list or object of parameters.
fn parameter_value() -> RefOr<Schema> {
    let itself = || Ref::from_schema_name("ParameterValue");
    let mut nested = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(itself()))
        .build();
    nested.min_properties = Some(1);
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(ObjectBuilder::new().schema_type(Type::Number))
        .item(ObjectBuilder::new().schema_type(Type::String))
        .item(ArrayBuilder::new().items(itself()).min_items(Some(1)))
        .item(Schema::Object(nested))
        .description(Some(
            "A number, string or boolean, or a non-empty list or object of them",
        ))
        .into()
}

/// The `Idempotency-Key` header of a request, as documented on the operations that
/// take it.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyParam {
    /// A new key (a UUID) per write; a retry sends the same key. 1 to 200 visible ASCII
    /// characters.
    #[serde(rename = "Idempotency-Key")]
    #[param(rename = "Idempotency-Key", pattern = "^[!-~]{1,200}$")]
    idempotency_key: Option<String>,
}

/// The write to apply once, when the request names a key: the key, and a fingerprint
/// of what it writes (the route, the resource id and the body).
pub(super) fn once<T: serde::Serialize>(
    headers: &HeaderMap,
    route: &str,
    id: i64,
    body: &T,
) -> Result<Option<Once>, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_HEADER) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("\u{1}");
    let key = IdempotencyKey::parse(text)?;
    let mut hasher = Sha256::new();
    hasher.update(format!("{route}/{id}/").as_bytes());
    hasher.update(serde_json::to_vec(body).map_err(|error| ApiError::Internal(error.into()))?);
    Ok(Some(Once {
        key,
        fingerprint: hex::encode(hasher.finalize()),
    }))
}

async fn store(
    state: &AppState,
    experiment_id: i64,
    name: &str,
    data: &LogData,
    replace: Option<bool>,
    once: Option<&Once>,
) -> Result<(StatusCode, axum::Json<Log>), ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let (log, created, dropped) = state
        .storage
        .write_log(experiment_id, name, data, replace, once)
        .await?;
    state.objects.delete_all_logged(&dropped).await;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(log)))
}

/// `POST /api/v1/experiments/{id}/logs/{name}/rewind`: drops the points at and after
/// `from_step` in every series of a LINE log, so training resumed from a checkpoint can
/// log those steps again. Nothing is ever dropped unless asked this way.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/logs/{name}/rewind",
    tag = "logs",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    request_body = RewindLine,
    responses((status = 200, body = Rewound), Refused)
)]
pub async fn rewind(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    Json(body): Json<RewindLine>,
) -> Result<axum::Json<Rewound>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let (log, dropped) = state
        .storage
        .rewind_line(experiment_id, &name, body.from_step)
        .await?
        .ok_or_else(|| not_found(experiment_id, &name))?;
    Ok(axum::Json(Rewound { dropped, log }))
}

/// `GET /api/v1/experiments/{id}/logs/{name}`.
#[utoipa::path(
    get,
    path = "/v1/experiments/{experiment_id}/logs/{name}",
    tag = "logs",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    responses((status = 200, body = Log), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
) -> Result<axum::Json<Log>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    state
        .storage
        .get_log(experiment_id, &name)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(experiment_id, &name))
}

/// `DELETE /api/v1/experiments/{id}/logs/{name}`: 204, its points and images too.
#[utoipa::path(
    delete,
    path = "/v1/experiments/{experiment_id}/logs/{name}",
    tag = "logs",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    responses((status = 204, description = "Deleted with its points and images"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
) -> Result<StatusCode, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let keys = state
        .storage
        .delete_log(experiment_id, &name)
        .await?
        .ok_or_else(|| not_found(experiment_id, &name))?;
    state.objects.delete_all_logged(&keys).await;
    Ok(StatusCode::NO_CONTENT)
}

/// `PATCH /api/v1/experiments/{id}/logs/{name}` `{"scope": "train"}`: a LINE log's
/// chart scope (seed 003: train, validation or test; `null` clears it). The dashboard
/// groups an experiment's charts by scope. Another type is a 422 on `scope`.
#[utoipa::path(
    patch,
    path = "/v1/experiments/{experiment_id}/logs/{name}",
    tag = "logs",
    params(("experiment_id" = i64, Path), ("name" = String, Path)),
    request_body = LogPatch,
    responses((status = 200, body = Log), Refused)
)]
pub async fn set_scope(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    Json(body): Json<LogPatch>,
) -> Result<axum::Json<Log>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    state
        .storage
        .set_log_scope(experiment_id, &name, body.scope)
        .await?
        .map(axum::Json)
        .ok_or_else(|| not_found(experiment_id, &name))
}

/// How many logs a delete-all removed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deleted {
    pub deleted: u64,
}

/// `DELETE /api/v1/experiments/{id}/logs`: every log of the experiment.
#[utoipa::path(
    delete,
    path = "/v1/experiments/{experiment_id}/logs",
    tag = "logs",
    params(("experiment_id" = i64, Path)),
    responses((status = 200, body = Deleted), Refused)
)]
pub async fn delete_all(
    State(state): State<AppState>,
    Path(experiment_id): Path<i64>,
) -> Result<axum::Json<Deleted>, ApiError> {
    experiments::existing(&state.storage, experiment_id).await?;
    let (deleted, keys) = state.storage.delete_all_logs(experiment_id).await?;
    state.objects.delete_all_logged(&keys).await;
    Ok(axum::Json(Deleted { deleted }))
}

/// The 404 for a log name.
pub fn not_found(experiment_id: i64, name: &str) -> ApiError {
    ApiError::NotFound(format!(
        "experiment {experiment_id} has no log named {name:?}"
    ))
}

/// `GET /api/v1/projects/{id}/values`: the VALUE logs of every experiment of a project,
/// and the last value of each LINE log with one series named as the log (an MLflow
/// metric, say), for the experiments table's and the sweep's columns (one request
/// instead of one per experiment).
#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}/values",
    tag = "logs",
    params(("project_id" = i64, Path)),
    responses((status = 200, body = Vec<ExperimentValues>), Refused)
)]
pub async fn project_values(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    if state.storage.get_project(project_id).await?.is_none() {
        return Err(super::projects::not_found(project_id));
    }
    let rows = state.storage.project_values(project_id).await?;
    let json = values_json(&rows);
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        json,
    )
        .into_response())
}

/// `rows` as the JSON of `[ExperimentValues]`, the objects copied as the database wrote
/// them: decoding and encoding again the 300,000 values of a 10,000-run sweep took most
/// of the answer's time. A LINE log's last value joins the VALUE logs (an experiment's
/// log names are unique, so the two objects never share a key).
fn values_json(rows: &[ValuesRow]) -> String {
    let text_len = |text: &Option<String>| text.as_ref().map_or(2, String::len);
    let mut json = String::with_capacity(
        rows.iter()
            .map(|row| {
                text_len(&row.values_json)
                    + text_len(&row.lines_json)
                    + text_len(&row.parameters_json)
                    + 48
            })
            .sum::<usize>()
            + 2,
    );
    json.push('[');
    for (index, row) in rows.iter().enumerate() {
        if index > 0 {
            json.push(',');
        }
        json.push_str(&format!(
            "{{\"experiment_id\":{},\"values\":",
            row.experiment_id
        ));
        match (row.values_json.as_deref(), row.lines_json.as_deref()) {
            (Some(values), Some(lines)) => {
                // `{"a":1}` and `{"b":2}` as `{"a":1,"b":2}`.
                json.push_str(values.strip_suffix('}').unwrap_or(values));
                json.push(',');
                json.push_str(lines.strip_prefix('{').unwrap_or(lines));
            }
            (Some(only), None) | (None, Some(only)) => json.push_str(only),
            (None, None) => json.push_str("{}"),
        }
        json.push_str(",\"parameters\":");
        json.push_str(row.parameters_json.as_deref().unwrap_or("{}"));
        json.push('}');
    }
    json.push(']');
    json
}
