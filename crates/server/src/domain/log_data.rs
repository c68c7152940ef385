//! Parses the `data` of a log request into a checked [`LogData`] for its type, naming the
//! offending field and index (`data.values[3]`) when it refuses.

use super::Refusal;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use trackboard_api::{expected_shape, BarData, HeatmapData, LogType, Scalar};

/// The most points one LINE request may carry; more is a 413.
pub const MAX_POINTS_PER_REQUEST: usize = 200_000;
/// The most categories a HEATMAP may have.
pub const MAX_HEATMAP_CATEGORIES: usize = 1_000;

/// Checked log data of a type sent as JSON (IMAGE is uploaded, EVALUATION refused).
#[derive(Clone, Debug, PartialEq)]
pub enum LogData {
    Value(Scalar),
    Line(LineBatch),
    Bar(BarData),
    Table(BTreeMap<String, Scalar>),
    Heatmap(HeatmapData),
    /// Keys are canonical integers (`"7"`, never `"07"`).
    Labelmap(BTreeMap<String, String>),
    /// Computed by the server from the experiment's evaluations, never parsed from a
    /// client's log.
    Evaluation(trackboard_api::EvaluationMetrics),
}

impl LogData {
    /// The log type this data is stored as.
    pub fn log_type(&self) -> LogType {
        match self {
            LogData::Value(_) => LogType::Value,
            LogData::Line(_) => LogType::Line,
            LogData::Bar(_) => LogType::Bar,
            LogData::Table(_) => LogType::Table,
            LogData::Heatmap(_) => LogType::Heatmap,
            LogData::Labelmap(_) => LogType::Labelmap,
            LogData::Evaluation(_) => LogType::Evaluation,
        }
    }
}

/// Points to add to the series of a LINE log.
#[derive(Clone, Debug, PartialEq)]
pub struct LineBatch {
    pub series: Vec<SeriesBatch>,
    /// When each point was logged (seconds since the Unix epoch, one per value of each
    /// series); `None`: storage stamps the batch with its arrival time.
    pub wall_times: Option<Vec<f64>>,
}

impl LineBatch {
    /// The `line_times` rows of one series' appended `steps`: with wall times, a row
    /// where the time changes; without, one row at the first step, at `arrival`.
    pub fn time_rows(&self, steps: &[i64], arrival: f64) -> Vec<(i64, f64)> {
        let Some(times) = &self.wall_times else {
            return steps
                .first()
                .map(|&step| (step, arrival))
                .into_iter()
                .collect();
        };
        let mut rows: Vec<(i64, f64)> = Vec::new();
        for (&step, &time) in steps.iter().zip(times) {
            if rows
                .last()
                .is_none_or(|&(_, last)| last.to_bits() != time.to_bits())
            {
                rows.push((step, time));
            }
        }
        rows
    }

    /// Points in the batch, all series together.
    pub fn point_count(&self) -> usize {
        self.series.iter().map(|series| series.values.len()).sum()
    }
}

/// Points of one series. Without `steps`, they continue after the series' last step.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesBatch {
    pub name: String,
    /// The request field the steps came from, for error messages (`data.steps`).
    pub steps_field: String,
    pub steps: Option<Vec<i64>>,
    /// `None` is a gap (a non-finite value, sent as `null`).
    pub values: Vec<Option<f64>>,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Refusal {
    Refusal::invalid(field, message)
}

/// Attaches a request's `wall_times` to its data: LINE data only, one finite,
/// non-negative time (seconds since the Unix epoch) per value of each series.
pub fn with_wall_times(data: LogData, wall_times: Option<Vec<f64>>) -> Result<LogData, Refusal> {
    let Some(times) = wall_times else {
        return Ok(data);
    };
    let LogData::Line(mut batch) = data else {
        return Err(invalid(
            "wall_times",
            format!(
                "wall_times belong to LINE logs; this is a {} log",
                data.log_type().as_str()
            ),
        ));
    };
    if let Some(series) = batch.series.iter().find(|s| s.values.len() != times.len()) {
        return Err(invalid(
            "wall_times",
            format!(
                "wall_times has {} times but series {:?} has {} values; send one time per value",
                times.len(),
                series.name,
                series.values.len()
            ),
        ));
    }
    if let Some((index, time)) = times
        .iter()
        .enumerate()
        .find(|(_, time)| !time.is_finite() || **time < 0.0)
    {
        return Err(invalid(
            format!("wall_times[{index}]"),
            format!("wall_times[{index}] is {time}; a time is seconds since the Unix epoch, finite and not negative"),
        ));
    }
    batch.wall_times = Some(times);
    Ok(LogData::Line(batch))
}

/// Parses `data` as `log_type` data for the log named `log_name`.
pub fn parse_log_data(log_name: &str, log_type: LogType, data: &Value) -> Result<LogData, Refusal> {
    match log_type {
        LogType::Value => parse_scalar("data", data).map(LogData::Value),
        LogType::Line => parse_line(log_name, data).map(LogData::Line),
        LogType::Bar => parse_bar(data).map(LogData::Bar),
        LogType::Table => parse_table(data).map(LogData::Table),
        LogType::Heatmap => parse_heatmap(data).map(LogData::Heatmap),
        LogType::Labelmap => parse_labelmap(data).map(LogData::Labelmap),
        LogType::Image => Err(invalid(
            "type",
            "IMAGE logs are uploaded as multipart/form-data to POST /api/v1/experiments/{id}/logs/{name}/images",
        )),
        LogType::Evaluation => Err(invalid(
            "type",
            "EVALUATION logs are computed by the server: add evaluations (POST /experiments/{id}/evaluations), then POST /experiments/{id}/evaluation-metrics",
        )),
    }
}

fn parse_scalar(field: &str, value: &Value) -> Result<Scalar, Refusal> {
    match value {
        Value::Bool(flag) => Ok(Scalar::Bool(*flag)),
        Value::Number(number) => Ok(Scalar::Number(number.clone())),
        Value::String(text) => Ok(Scalar::Text(text.clone())),
        _ => Err(invalid(
            field,
            format!("{field} must be a number, a string or a boolean"),
        )),
    }
}

fn as_object<'a>(
    field: &str,
    value: &'a Value,
    shape: &str,
) -> Result<&'a Map<String, Value>, Refusal> {
    value
        .as_object()
        .ok_or_else(|| invalid(field, format!("{field} must be an object: {shape}")))
}

fn as_array<'a>(field: &str, value: &'a Value) -> Result<&'a Vec<Value>, Refusal> {
    value
        .as_array()
        .ok_or_else(|| invalid(field, format!("{field} must be a list")))
}

fn reject_unknown_keys(
    object: &Map<String, Value>,
    known: &[&str],
    shape: &str,
) -> Result<(), Refusal> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(key) => Err(invalid(
            format!("data.{key}"),
            format!("data.{key} is not part of {shape}"),
        )),
        None => Ok(()),
    }
}

fn finite_number(field: String, value: &Value) -> Result<f64, Refusal> {
    value
        .as_f64()
        .filter(|number| number.is_finite())
        .ok_or_else(|| invalid(field.clone(), format!("{field} must be a number")))
}

fn line_values(field: &str, value: &Value) -> Result<Vec<Option<f64>>, Refusal> {
    as_array(field, value)?
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::Null => Ok(None),
            other => other
                .as_f64()
                .filter(|v| v.is_finite())
                .map(Some)
                .ok_or_else(|| {
                    let at = format!("{field}[{index}]");
                    invalid(
                        at.clone(),
                        format!("{at} must be a number, or null for a gap"),
                    )
                }),
        })
        .collect()
}

fn line_steps(field: &str, value: &Value) -> Result<Vec<i64>, Refusal> {
    let items = as_array(field, value)?;
    let mut steps = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = format!("{field}[{index}]");
        let step = item
            .as_i64()
            .ok_or_else(|| invalid(at.clone(), format!("{at} must be an integer step")))?;
        if let Some(&previous) = steps.last() {
            if step <= previous {
                return Err(invalid(
                    at.clone(),
                    format!("steps must be strictly increasing: {at} is {step}, after {previous}"),
                ));
            }
        }
        steps.push(step);
    }
    Ok(steps)
}

fn series_name(field: &str, name: &str) -> Result<String, Refusal> {
    super::checked_name(field, name, trackboard_api::LOG_NAME_MAX_CHARS)
}

const LINE_SHAPE: &str = "a list of values, {\"steps\": [...], \"values\": [...]}, or {\"series name\": [...], ..., \"steps\": [...] optional}";

fn parse_line(log_name: &str, data: &Value) -> Result<LineBatch, Refusal> {
    let series = match data {
        Value::Array(_) => vec![SeriesBatch {
            name: log_name.to_owned(),
            steps_field: "data".to_owned(),
            steps: None,
            values: line_values("data", data)?,
        }],
        Value::Object(object) => {
            let steps = object
                .get("steps")
                .map(|steps| line_steps("data.steps", steps))
                .transpose()?;
            let custom_axis = object.contains_key("values")
                && object.keys().all(|k| k == "steps" || k == "values");
            let mut series = Vec::new();
            for (key, value) in object.iter().filter(|(key, _)| key.as_str() != "steps") {
                let name = if custom_axis {
                    log_name.to_owned()
                } else {
                    series_name(&format!("data.{key}"), key)?
                };
                series.push(SeriesBatch {
                    name,
                    steps_field: if steps.is_some() {
                        "data.steps".to_owned()
                    } else {
                        format!("data.{key}")
                    },
                    steps: steps.clone(),
                    values: line_values(&format!("data.{key}"), value)?,
                });
            }
            if series.is_empty() {
                return Err(invalid(
                    "data",
                    format!("LINE data names no series: send {LINE_SHAPE}"),
                ));
            }
            series
        }
        _ => return Err(invalid("data", format!("LINE data must be {LINE_SHAPE}"))),
    };
    for batch in &series {
        if let Some(steps) = &batch.steps {
            if steps.len() != batch.values.len() {
                return Err(invalid(
                    batch.steps_field.clone(),
                    format!(
                        "{} has {} steps but series {:?} has {} values; they must match",
                        batch.steps_field,
                        steps.len(),
                        batch.name,
                        batch.values.len()
                    ),
                ));
            }
        }
    }
    let batch = LineBatch {
        series,
        wall_times: None,
    };
    if batch.point_count() == 0 {
        return Err(invalid("data", "LINE data must hold at least one value"));
    }
    if batch.point_count() > MAX_POINTS_PER_REQUEST {
        return Err(Refusal::too_large("data", format!(
            "one request may carry at most {MAX_POINTS_PER_REQUEST} points; this one has {}: send them in batches",
            batch.point_count()
        )));
    }
    Ok(batch)
}

fn parse_bar(data: &Value) -> Result<BarData, Refusal> {
    const SHAPE: &str = "BAR data {\"x\": [labels], \"y\": [numbers]}";
    let object = as_object("data", data, SHAPE)?;
    reject_unknown_keys(object, &["x", "y"], SHAPE)?;
    let x = as_array("data.x", object.get("x").unwrap_or(&Value::Null))?
        .iter()
        .enumerate()
        .map(|(index, label)| match label {
            Value::String(text) => Ok(text.clone()),
            Value::Number(number) => Ok(number.to_string()),
            _ => Err(invalid(
                format!("data.x[{index}]"),
                format!("data.x[{index}] must be a label (a string or a number)"),
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let y = as_array("data.y", object.get("y").unwrap_or(&Value::Null))?
        .iter()
        .enumerate()
        .map(|(index, value)| finite_number(format!("data.y[{index}]"), value))
        .collect::<Result<Vec<_>, _>>()?;
    if x.len() != y.len() {
        return Err(invalid(
            "data.y",
            format!(
                "data.x has {} labels but data.y has {} values; they must match",
                x.len(),
                y.len()
            ),
        ));
    }
    Ok(BarData { x, y })
}

fn parse_table(data: &Value) -> Result<BTreeMap<String, Scalar>, Refusal> {
    let object = as_object(
        "data",
        data,
        "a flat map of names to numbers, strings or booleans",
    )?;
    object
        .iter()
        .map(|(key, value)| {
            if key.trim().is_empty() {
                return Err(invalid("data", "TABLE keys must not be empty"));
            }
            Ok((key.clone(), parse_scalar(&format!("data.{key}"), value)?))
        })
        .collect()
}

fn parse_heatmap(data: &Value) -> Result<HeatmapData, Refusal> {
    const SHAPE: &str =
        "HEATMAP data {\"categories\": [N names], \"values\": N×N or (N+1)×(N+1) numbers}";
    let object = as_object("data", data, SHAPE)?;
    reject_unknown_keys(object, &["categories", "values"], SHAPE)?;
    let categories = as_array(
        "data.categories",
        object.get("categories").unwrap_or(&Value::Null),
    )?
    .iter()
    .enumerate()
    .map(|(index, name)| {
        name.as_str().map(str::to_owned).ok_or_else(|| {
            invalid(
                format!("data.categories[{index}]"),
                format!("data.categories[{index}] must be a string"),
            )
        })
    })
    .collect::<Result<Vec<_>, _>>()?;
    if categories.is_empty() || categories.len() > MAX_HEATMAP_CATEGORIES {
        return Err(invalid(
            "data.categories",
            format!("data.categories must hold 1 to {MAX_HEATMAP_CATEGORIES} names"),
        ));
    }
    let rows = as_array("data.values", object.get("values").unwrap_or(&Value::Null))?;
    let n = categories.len();
    if rows.len() != n && rows.len() != n + 1 {
        return Err(invalid("data.values", expected_shape(n, rows.len())));
    }
    let size = rows.len();
    let mut values = Vec::with_capacity(size);
    for (row_index, row) in rows.iter().enumerate() {
        let field = format!("data.values[{row_index}]");
        let cells = as_array(&field, row)?;
        if cells.len() != size {
            return Err(invalid(
                field.clone(),
                format!(
                    "{field} has {} values; the matrix must be {size}×{size} ({})",
                    cells.len(),
                    expected_shape(n, size)
                ),
            ));
        }
        let row = cells
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                let at = format!("{field}[{column}]");
                finite_number(at.clone(), cell)?;
                cell.as_f64()
                    .filter(|v| *v >= 0.0)
                    .ok_or_else(|| invalid(at.clone(), format!("{at} must not be negative")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        values.push(row);
    }
    Ok(HeatmapData { categories, values })
}

fn parse_labelmap(data: &Value) -> Result<BTreeMap<String, String>, Refusal> {
    let object = as_object("data", data, "LABELMAP data {\"1\": \"person\", ...}")?;
    let mut labels = BTreeMap::new();
    for (key, value) in object {
        let field = format!("data.{key}");
        let id: i64 = key.trim().parse().map_err(|_| {
            invalid(
                field.clone(),
                format!("label ids must be integers, got {key:?}"),
            )
        })?;
        let name = value
            .as_str()
            .filter(|name| !name.trim().is_empty())
            .ok_or_else(|| {
                invalid(
                    field.clone(),
                    format!("{field} must be a non-empty label name"),
                )
            })?;
        if labels.insert(id.to_string(), name.to_owned()).is_some() {
            return Err(invalid(field, format!("label id {id} is given twice")));
        }
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RefusalKind;
    use serde_json::json;

    fn field_of(result: Result<LogData, Refusal>) -> String {
        match result {
            Err(Refusal {
                field,
                kind: RefusalKind::Invalid,
                ..
            }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn the_three_line_forms_parse() {
        let LogData::Line(list) =
            parse_log_data("loss", LogType::Line, &json!([1, null, 2.5])).expect("list")
        else {
            panic!()
        };
        assert_eq!(list.series[0].name, "loss");
        assert_eq!(list.series[0].values, vec![Some(1.0), None, Some(2.5)]);
        assert_eq!(list.series[0].steps, None);

        let LogData::Line(axis) = parse_log_data(
            "loss",
            LogType::Line,
            &json!({"steps": [0, 2], "values": [1, 2]}),
        )
        .expect("axis") else {
            panic!()
        };
        assert_eq!(axis.series.len(), 1);
        assert_eq!(axis.series[0].steps, Some(vec![0, 2]));

        let LogData::Line(multi) = parse_log_data(
            "loss",
            LogType::Line,
            &json!({"train": [1, 2], "val": [3, 4], "steps": [5, 6]}),
        )
        .expect("multi") else {
            panic!()
        };
        let names: Vec<_> = multi.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["train", "val"]);
        assert!(multi.series.iter().all(|s| s.steps == Some(vec![5, 6])));
    }

    #[test]
    fn bad_line_data_names_the_field_and_index() {
        assert_eq!(
            field_of(parse_log_data("l", LogType::Line, &json!([1, "x"]))),
            "data[1]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "l",
                LogType::Line,
                &json!({"steps": [0, 0], "values": [1, 2]})
            )),
            "data.steps[1]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "l",
                LogType::Line,
                &json!({"steps": [0, 1.5], "values": [1, 2]})
            )),
            "data.steps[1]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "l",
                LogType::Line,
                &json!({"steps": [0, 1], "values": [1]})
            )),
            "data.steps"
        );
        assert_eq!(
            field_of(parse_log_data(
                "l",
                LogType::Line,
                &json!({"a": [1], "b": 2})
            )),
            "data.b"
        );
        assert_eq!(
            field_of(parse_log_data("l", LogType::Line, &json!([]))),
            "data"
        );
        assert_eq!(
            field_of(parse_log_data("l", LogType::Line, &json!(3))),
            "data"
        );
        assert_eq!(
            field_of(parse_log_data("l", LogType::Line, &json!({"steps": [1]}))),
            "data"
        );
    }

    #[test]
    fn too_many_points_is_a_413() {
        let values = vec![0; MAX_POINTS_PER_REQUEST + 1];
        assert!(matches!(
            parse_log_data("l", LogType::Line, &json!(values)),
            Err(Refusal {
                kind: RefusalKind::TooLarge,
                ..
            })
        ));
    }

    #[test]
    fn bars_need_equal_lengths_and_numbers() {
        assert!(parse_log_data("b", LogType::Bar, &json!({"x": ["car", 2], "y": [5, 8]})).is_ok());
        assert_eq!(
            field_of(parse_log_data(
                "b",
                LogType::Bar,
                &json!({"x": ["car"], "y": [5, 8]})
            )),
            "data.y"
        );
        assert_eq!(
            field_of(parse_log_data(
                "b",
                LogType::Bar,
                &json!({"x": ["car"], "y": ["5"]})
            )),
            "data.y[0]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "b",
                LogType::Bar,
                &json!({"x": ["car"], "y": [5], "z": 1})
            )),
            "data.z"
        );
        assert_eq!(
            field_of(parse_log_data("b", LogType::Bar, &json!([1]))),
            "data"
        );
    }

    #[test]
    fn heatmaps_accept_n_or_n_plus_one_squares_only() {
        let cats = json!(["car", "person"]);
        assert!(parse_log_data(
            "h",
            LogType::Heatmap,
            &json!({"categories": cats, "values": [[1, 2], [3, 4]]})
        )
        .is_ok());
        assert!(parse_log_data(
            "h",
            LogType::Heatmap,
            &json!({"categories": cats, "values": [[33, 0, 13], [2, 7, 16], [10, 0, 0]]})
        )
        .is_ok());
        let error = parse_log_data(
            "h",
            LogType::Heatmap,
            &json!({"categories": cats, "values": [[1]]}),
        )
        .expect_err("1 row");
        assert!(
            error.to_string().contains("2×2") && error.to_string().contains("3×3"),
            "{error}"
        );
        assert_eq!(
            field_of(parse_log_data(
                "h",
                LogType::Heatmap,
                &json!({"categories": cats, "values": [[1, 2], [3]]})
            )),
            "data.values[1]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "h",
                LogType::Heatmap,
                &json!({"categories": cats, "values": [[1, -2], [3, 4]]})
            )),
            "data.values[0][1]"
        );
        assert_eq!(
            field_of(parse_log_data(
                "h",
                LogType::Heatmap,
                &json!({"categories": [], "values": []})
            )),
            "data.categories"
        );
    }

    #[test]
    fn tables_values_and_labelmaps_take_their_shapes() {
        assert!(parse_log_data(
            "t",
            LogType::Table,
            &json!({"lr": 0.1, "opt": "adam", "aug": true})
        )
        .is_ok());
        assert_eq!(
            field_of(parse_log_data("t", LogType::Table, &json!({"lr": [1]}))),
            "data.lr"
        );
        assert_eq!(
            field_of(parse_log_data("v", LogType::Value, &json!(null))),
            "data"
        );
        assert_eq!(
            field_of(parse_log_data("v", LogType::Value, &json!({"a": 1}))),
            "data"
        );
        let LogData::Labelmap(labels) =
            parse_log_data("m", LogType::Labelmap, &json!({"01": "person", "2": "car"}))
                .expect("labels")
        else {
            panic!()
        };
        assert_eq!(labels.get("1").map(String::as_str), Some("person"));
        assert_eq!(
            field_of(parse_log_data(
                "m",
                LogType::Labelmap,
                &json!({"one": "person"})
            )),
            "data.one"
        );
        assert_eq!(
            field_of(parse_log_data(
                "m",
                LogType::Labelmap,
                &json!({"1": "a", "01": "b"})
            )),
            "data.1"
        );
        assert_eq!(
            field_of(parse_log_data("m", LogType::Labelmap, &json!({"1": 3}))),
            "data.1"
        );
    }

    #[test]
    fn evaluation_and_image_are_refused_with_the_reason() {
        let error = parse_log_data("e", LogType::Evaluation, &json!({})).expect_err("reserved");
        assert!(error.to_string().contains("computed by the server"));
        assert_eq!(
            field_of(parse_log_data("i", LogType::Image, &json!("x.png"))),
            "type"
        );
    }
}
