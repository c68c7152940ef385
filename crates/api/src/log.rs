//! Logs: what a training script records on an experiment (seed 002's log types).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest log name accepted, in characters.
pub const LOG_NAME_MAX_CHARS: usize = 200;

/// The kind of a log, spelled as in seed 002 (`VALUE`, `LINE`, …; lower case is accepted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LogType {
    /// One number, string or boolean, shown in the summary.
    #[serde(alias = "value")]
    Value,
    /// One or more series of (step, value) points; appended by default.
    #[serde(alias = "line")]
    Line,
    /// `{x: [labels], y: [numbers]}`.
    #[serde(alias = "bar")]
    Bar,
    /// A flat map of scalars (parameters are the TABLE named `parameters`).
    #[serde(alias = "table")]
    Table,
    /// A confusion matrix: `{categories, values}`.
    #[serde(alias = "heatmap")]
    Heatmap,
    /// Uploaded images, each with a caption and step.
    #[serde(alias = "image")]
    Image,
    /// `{"1": "person", …}`: class id to name.
    #[serde(alias = "labelmap")]
    Labelmap,
    /// Metrics of the experiment's evaluations; written by the server only.
    #[serde(alias = "evaluation")]
    Evaluation,
}

impl LogType {
    /// Every type.
    pub const ALL: [LogType; 8] = [
        LogType::Value,
        LogType::Line,
        LogType::Bar,
        LogType::Table,
        LogType::Heatmap,
        LogType::Image,
        LogType::Labelmap,
        LogType::Evaluation,
    ];

    /// The wire (and storage) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LogType::Value => "VALUE",
            LogType::Line => "LINE",
            LogType::Bar => "BAR",
            LogType::Table => "TABLE",
            LogType::Heatmap => "HEATMAP",
            LogType::Image => "IMAGE",
            LogType::Labelmap => "LABELMAP",
            LogType::Evaluation => "EVALUATION",
        }
    }

    /// The type spelled `text` (either case), if any.
    pub fn parse(text: &str) -> Option<LogType> {
        LogType::ALL
            .into_iter()
            .find(|log_type| log_type.as_str().eq_ignore_ascii_case(text))
    }
}

/// A VALUE, a TABLE cell or a parameter: a number (integers stay integers), a string or
/// a boolean.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Number(serde_json::Number),
    Text(String),
}

/// Read straight from the token, not as `#[serde(untagged)]` does (buffering each value,
/// then trying the variants in turn): a sweep's 300,000 values decoded ~3× slower so.
impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl serde::de::Visitor<'_> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a number, a string or a boolean")
    }

    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(value))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Scalar, E> {
        Ok(Scalar::Number(value.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Scalar, E> {
        Ok(Scalar::Number(value.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Scalar, E> {
        serde_json::Number::from_f64(value)
            .map(Scalar::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(value.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(value))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Scalar {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        OneOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "A number (integers stay integers), a string or a boolean",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Scalar {}

/// Body of `POST /api/v1/experiments/{id}/logs` (seed 000 `log(name, data, type, replace)`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLog {
    /// 1 to [`LOG_NAME_MAX_CHARS`] characters; unique within the experiment.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::names::Name200))]
    pub name: String,
    /// The log's type.
    #[serde(rename = "type")]
    pub log_type: LogType,
    /// The data, in the shape its type takes (see `docs/API.md`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
    /// LINE: points are always appended (seed 000: delete the log to start over).
    /// IMAGE: `true` drops the earlier images. Other types: absent or `true` replaces an
    /// existing log's data, `false` refuses to (409). Another type under an existing name
    /// needs `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<bool>,
    /// LINE only: when each point was logged, in seconds since the Unix epoch by the
    /// client's clock: one per value of each series (every series of the batch then has
    /// as many values). Without it, the batch is stamped with the server's arrival time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_times: Option<Vec<f64>>,
}

/// BAR data: one label per bar and its height.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BarData {
    pub x: Vec<String>,
    pub y: Vec<f64>,
}

/// HEATMAP data: N categories and an N×N or (N+1)×(N+1) matrix of non-negative counts;
/// label it with [`crate::heatmap_labels`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeatmapData {
    pub categories: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

/// What a LINE log holds, without its points (read those with the points route).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineSummary {
    /// Its series by name.
    pub series: Vec<LineSeriesSummary>,
}

/// One series of a LINE log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineSeriesSummary {
    pub name: String,
    /// Stored points, gaps included.
    pub points: u64,
    pub first_step: Option<i64>,
    pub last_step: Option<i64>,
    /// The value at `last_step` (`null` for a gap).
    pub last_value: Option<f64>,
}

/// One image of an IMAGE log. Its bytes are at `GET /api/v1/images/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoggedImage {
    pub id: i64,
    pub caption: String,
    pub step: Option<i64>,
    /// Sniffed from the bytes: `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    pub created_at: String,
}

/// What an IMAGE log holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageGallery {
    /// In upload order.
    pub images: Vec<LoggedImage>,
}

/// A log's type and data, as `"type"` and `"data"` fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "data", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LogContent {
    Value(Scalar),
    Line(LineSummary),
    Bar(BarData),
    Table(BTreeMap<String, Scalar>),
    Heatmap(HeatmapData),
    Image(ImageGallery),
    /// Keys are integer class ids written as strings, as in JSON.
    Labelmap(BTreeMap<String, String>),
    /// Metrics computed from the experiment's evaluations (never sent as a log: computed
    /// by `POST /experiments/{id}/evaluation-metrics`).
    Evaluation(crate::EvaluationMetrics),
}

impl LogContent {
    /// The type of this content.
    pub fn log_type(&self) -> LogType {
        match self {
            LogContent::Value(_) => LogType::Value,
            LogContent::Line(_) => LogType::Line,
            LogContent::Bar(_) => LogType::Bar,
            LogContent::Table(_) => LogType::Table,
            LogContent::Heatmap(_) => LogType::Heatmap,
            LogContent::Image(_) => LogType::Image,
            LogContent::Labelmap(_) => LogType::Labelmap,
            LogContent::Evaluation(_) => LogType::Evaluation,
        }
    }
}

/// Body of `POST /api/v1/experiments/{id}/logs/{name}/rewind`: training resumed from a
/// checkpoint, so the points at and after `from_step` go (in every series of the log).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewindLine {
    /// The first step to drop.
    #[serde(deserialize_with = "crate::integral::id")]
    pub from_step: i64,
}

/// Answer of a rewind: how many points were dropped, and the log as it is now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rewound {
    pub dropped: u64,
    pub log: Log,
}

/// Which part of training a LINE log's chart belongs to (seed 003's chart scope); the
/// dashboard groups an experiment's charts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChartScope {
    Train,
    Validation,
    Test,
}

impl ChartScope {
    pub const ALL: [ChartScope; 3] = [ChartScope::Train, ChartScope::Validation, ChartScope::Test];

    pub fn as_str(self) -> &'static str {
        match self {
            ChartScope::Train => "train",
            ChartScope::Validation => "validation",
            ChartScope::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<ChartScope> {
        ChartScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
    }
}

/// Body of `PATCH /api/v1/experiments/{id}/logs/{name}`: a LINE log's scope (`null`
/// clears it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogPatch {
    pub scope: Option<ChartScope>,
}

/// A log as the API returns it: `{id, experiment_id, name, type, data, …}`.
// Read by hand (`log_decode.rs`), not derived: see there why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Log {
    pub id: i64,
    pub experiment_id: i64,
    pub name: String,
    #[serde(flatten)]
    pub content: LogContent,
    /// A LINE log's scope, when it was given one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<ChartScope>,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC; changes on every append or replace.
    pub updated_at: String,
}

/// The VALUE logs and parameters of one experiment: what a project's experiments table
/// shows as columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExperimentValues {
    pub experiment_id: i64,
    /// Log name → value: each VALUE log, and the last value of each LINE log with one
    /// series named as the log (what a filter's `metrics.` compares).
    pub values: BTreeMap<String, Scalar>,
    /// Parameter name (nested ones flattened with dots) → value, from the `parameters`
    /// log.
    #[serde(default)]
    pub parameters: BTreeMap<String, Scalar>,
}

/// Points of one series: parallel `steps` and `values` (`null` is a gap).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesPoints {
    pub name: String,
    pub steps: Vec<i64>,
    pub values: Vec<Option<f64>>,
    /// True when these are the M4 reduction (first, min, max, last of each pixel
    /// column) of more points than 4 × width: exact for drawing at that width.
    pub reduced: bool,
    /// How many stored points the requested range holds.
    pub points_in_range: u64,
}

/// Answer of `GET /api/v1/experiments/{id}/logs/{name}/points`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinePoints {
    pub experiment_id: i64,
    pub log_name: String,
    /// First step of the range (inclusive); `null` when the log is empty.
    pub from: Option<i64>,
    /// Last step of the range (inclusive).
    pub to: Option<i64>,
    /// The pixel width the points were reduced for.
    pub width: u32,
    pub series: Vec<SeriesPoints>,
}

/// When one series' points were logged: a step function. The point at step `s` was
/// logged at `times[i]` for the greatest `steps[i] <= s`. Empty for points logged
/// before Trackboard kept times.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesTimes {
    pub name: String,
    pub steps: Vec<i64>,
    /// Seconds since the Unix epoch.
    pub times: Vec<f64>,
}

/// Answer of `GET /api/v1/experiments/{id}/logs/{name}/times`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineTimes {
    pub experiment_id: i64,
    pub log_name: String,
    pub series: Vec<SeriesTimes>,
}

/// One experiment's series in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComparedLine {
    pub experiment_id: i64,
    /// Empty when the experiment has no LINE log of that name.
    pub series: Vec<SeriesPoints>,
}

impl ComparedLine {
    /// `series` (each with its experiment's id, in order) under each of `ids` in their
    /// order; an experiment without any gets an empty list.
    pub fn grouped(
        ids: &[i64],
        series: impl IntoIterator<Item = (i64, SeriesPoints)>,
    ) -> Vec<ComparedLine> {
        let mut experiments: Vec<ComparedLine> = ids
            .iter()
            .map(|&experiment_id| ComparedLine {
                experiment_id,
                series: Vec::new(),
            })
            .collect();
        for (experiment_id, points) in series {
            if let Some(line) = experiments
                .iter_mut()
                .find(|line| line.experiment_id == experiment_id)
            {
                line.series.push(points);
            }
        }
        experiments
    }
}

/// Answer of `GET /api/v1/line-comparison`: one log name across experiments, every
/// series reduced on one shared step grid (`from`, `to`, `width`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineComparison {
    pub log_name: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub width: u32,
    pub experiments: Vec<ComparedLine>,
}

/// Answer of `GET /api/v1/line-comparisons`: several LINE logs across the same
/// experiments, one [`LineComparison`] per log in the order asked, so a view of many
/// charts needs one request. Each comparison is reduced exactly as `line-comparison`
/// would reduce it alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineComparisons {
    pub comparisons: Vec<LineComparison>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_decode_each_kind_exactly_and_refuse_the_rest() {
        let decoded: Vec<Scalar> = serde_json::from_str(
            r#"[true, -3, 18446744073709551615, 0.30000000000000004, "0.1", 1e300]"#,
        )
        .expect("scalars");
        assert_eq!(
            decoded,
            [
                Scalar::Bool(true),
                Scalar::Number((-3).into()),
                Scalar::Number(u64::MAX.into()),
                Scalar::Number(serde_json::Number::from_f64(0.1 + 0.2).expect("finite")),
                Scalar::Text("0.1".into()),
                Scalar::Number(serde_json::Number::from_f64(1e300).expect("finite")),
            ]
        );
        // Integers stay integers when written again.
        assert_eq!(serde_json::to_string(&decoded[1]).expect("json"), "-3");
        for refused in ["null", "[1]", r#"{"a": 1}"#] {
            let error = serde_json::from_str::<Scalar>(refused).expect_err(refused);
            assert!(
                error
                    .to_string()
                    .contains("a number, a string or a boolean"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_log_reads_as_type_and_data_fields() {
        let log = Log {
            scope: None,
            id: 1,
            experiment_id: 2,
            name: "accuracy".into(),
            content: LogContent::Value(Scalar::Number(serde_json::Number::from(3))),
            created_at: "t".into(),
            updated_at: "t".into(),
        };
        let json = serde_json::to_value(&log).expect("serialises");
        assert_eq!(json["type"], "VALUE");
        assert_eq!(json["data"], 3);
        let back: Log = serde_json::from_value(json).expect("round-trips");
        assert_eq!(back, log);
    }

    #[test]
    fn types_parse_in_either_case() {
        assert_eq!(LogType::parse("line"), Some(LogType::Line));
        assert_eq!(LogType::parse("LABELMAP"), Some(LogType::Labelmap));
        assert_eq!(LogType::parse("PIE"), None);
        let parsed: LogType = serde_json::from_str("\"heatmap\"").expect("alias");
        assert_eq!(parsed, LogType::Heatmap);
    }

    #[test]
    fn a_labelmap_round_trips_through_the_flattened_log() {
        let mut labels = BTreeMap::new();
        labels.insert("1".to_owned(), "person".to_owned());
        let log = Log {
            scope: None,
            id: 1,
            experiment_id: 2,
            name: "labelmap".into(),
            content: LogContent::Labelmap(labels),
            created_at: "t".into(),
            updated_at: "t".into(),
        };
        let text = serde_json::to_string(&log).expect("serialises");
        let back: Log = serde_json::from_str(&text).expect("round-trips");
        assert_eq!(back, log);
    }
}
