//! A LINE log of many runs grouped by a parameter or tag: each group one line (the
//! mean or median of its members) with a band (min–max, or ±1 std), computed by the
//! server on the chart's pixel columns.

use serde::{Deserialize, Serialize};

/// Answer of `GET /api/v1/projects/{id}/line-groups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineGroups {
    /// The LINE log drawn: the one asked, or the project's first by name; empty when
    /// the project has none.
    pub log_name: String,
    /// Every LINE log name of the project's runs, sorted: what a chart may pick.
    pub line_logs: Vec<String>,
    /// The field the runs are grouped by (`params.lr`, `tags.team`).
    pub group_by: String,
    /// The steps drawn (absent: no run of the filter has a point).
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Pixel columns the steps are spread over.
    pub width: u32,
    /// How many runs the filter kept (members or not of a group with the log).
    pub runs: u64,
    /// One per group value and series name: numbers in increasing order, then texts,
    /// then the runs without the field.
    pub groups: Vec<LineGroup>,
}

/// One group's band of one series, column by column (columns without any point are
/// left out; the arrays are parallel).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineGroup {
    /// The group's value of the field as text (`0.001`, `adam`); absent for the runs
    /// without the field.
    pub key: Option<String>,
    /// The series of the LINE log (a chart's line name).
    pub series: String,
    /// The runs with a point in this group, in increasing id order.
    pub experiment_ids: Vec<i64>,
    /// The first and last step with a point in each column.
    pub first_step: Vec<i64>,
    pub last_step: Vec<i64>,
    /// How many members have a point in each column.
    pub members: Vec<u32>,
    /// Each member's value in a column is the mean of its points there; these are the
    /// mean, median and population standard deviation of those member values.
    pub mean: Vec<f64>,
    pub median: Vec<f64>,
    pub std: Vec<f64>,
    /// The lowest and highest point of any member in each column: every extreme kept.
    pub min: Vec<f64>,
    pub max: Vec<f64>,
}
