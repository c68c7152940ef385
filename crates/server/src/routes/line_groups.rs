//! `GET /api/v1/projects/{id}/line-groups`: a LINE log of a project's runs (those a
//! filter keeps) grouped by a parameter or tag, each group a band on the chart's pixel
//! columns (`domain::line_bands`), read in a few queries whatever the runs.

use super::projects;
use super::Refused;
use crate::domain::mlflow_search::{parse_order, Field, Filter, Kind};
use crate::domain::GroupBand;
use crate::domain::Window;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::points::{read_bands, Member, Range};
use crate::state::AppState;
use crate::storage::{Dialect, RunSearch, SeriesRow, Storage, StoreResult};
use axum::extract::State;
use serde::Deserialize;
use std::collections::HashMap;
use trackboard_api::{LineGroup, LineGroups};

/// The most runs one grouped chart reads.
pub const MAX_GROUPED_RUNS: u32 = 10_000;
/// The most groups one chart draws (more is a field with a value a run, like a seed).
pub const MAX_GROUPS: usize = 24;

/// The query of a grouped chart.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LineGroupsParams {
    /// The parameter or tag the runs are grouped by: `params.lr`, `tags.team`.
    #[param(required = true)]
    group_by: Option<String>,
    /// The LINE log drawn (default: the project's first by name).
    log: Option<String>,
    /// The runs grouped, in the experiment list's filter grammar (default: all).
    filter: Option<String>,
    /// The first step (default: the first of any run's series).
    from: Option<i64>,
    /// The last step (default: the last of any run's series).
    to: Option<i64>,
    /// The chart's width in device pixels, 1 to 10,000 (default 1,000).
    #[param(minimum = 1, maximum = 10000)]
    width: Option<i64>,
}

/// A group's value: numbers in increasing order, then texts, then runs without one.
#[derive(Clone, Debug, PartialEq)]
enum GroupKey {
    Number(f64),
    Text(String),
    Missing,
}

impl GroupKey {
    fn of(number: Option<f64>, text: Option<String>) -> GroupKey {
        match (number, text) {
            (Some(number), _) => GroupKey::Number(number),
            (None, Some(text)) => GroupKey::Text(text),
            (None, None) => GroupKey::Missing,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            GroupKey::Number(_) => 0,
            GroupKey::Text(_) => 1,
            GroupKey::Missing => 2,
        }
    }

    fn cmp(&self, other: &GroupKey) -> std::cmp::Ordering {
        match (self, other) {
            (GroupKey::Number(a), GroupKey::Number(b)) => a.total_cmp(b),
            (GroupKey::Text(a), GroupKey::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }

    /// The value as the answer spells it (a whole number without a fraction).
    fn label(&self) -> Option<String> {
        match self {
            GroupKey::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                Some(format!("{}", *n as i64))
            }
            GroupKey::Number(n) => Some(n.to_string()),
            GroupKey::Text(text) => Some(text.clone()),
            GroupKey::Missing => None,
        }
    }
}

/// `group_by` as a parameter or tag field.
fn group_field(text: Option<&str>) -> Result<Field, ApiError> {
    let text = text.map(str::trim).unwrap_or_default();
    let wanted = || {
        ApiError::validation(
            "group_by",
            "group_by must name a parameter or a tag: params.lr, tags.team",
        )
    };
    if text.is_empty() {
        return Err(wanted());
    }
    let mut terms = parse_order("group_by", &[text.to_owned()])?;
    match terms.pop() {
        Some(term) if matches!(term.field.kind, Kind::Param | Kind::Tag) => Ok(term.field),
        _ => Err(wanted()),
    }
}

#[utoipa::path(
    get,
    path = "/v1/projects/{project_id}/line-groups",
    tag = "points",
    params(("project_id" = i64, Path), LineGroupsParams),
    responses((status = 200, body = LineGroups), Refused)
)]
pub async fn line_groups(
    State(state): State<AppState>,
    Path(project_id): Path<i64>,
    Query(params): Query<LineGroupsParams>,
) -> Result<axum::Json<LineGroups>, ApiError> {
    let field = group_field(params.group_by.as_deref())?;
    let group_by = params
        .group_by
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let filter = Filter::parse("filter", params.filter.as_deref().unwrap_or("").trim())?;
    let range = Range::checked(params.from, params.to, params.width)?;
    let storage = &state.storage;
    if storage.get_project(project_id).await?.is_none() {
        return Err(projects::not_found(project_id));
    }
    let line_logs = storage.project_line_logs(project_id).await?;
    let log_name = match params.log.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => {
            if !line_logs.iter().any(|known| known == name) {
                return Err(ApiError::validation(
                    "log",
                    format!("no run of project {project_id} has a LINE log named {name:?}"),
                ));
            }
            name.to_owned()
        }
        _ => line_logs.first().cloned().unwrap_or_default(),
    };
    let search = RunSearch {
        project_ids: &[project_id],
        filter: &filter,
        order: &[],
        dialect: Dialect::Native,
    };
    let keyed = storage
        .search_run_values(&search, &field, "group_by", MAX_GROUPED_RUNS + 1)
        .await?;
    if keyed.len() > MAX_GROUPED_RUNS as usize {
        return Err(ApiError::validation(
            "filter",
            format!("the filter keeps more than {MAX_GROUPED_RUNS} runs; narrow it to group them"),
        ));
    }
    let mut answer = LineGroups {
        log_name,
        line_logs,
        group_by,
        from: None,
        to: None,
        width: range.width,
        runs: keyed.len() as u64,
        groups: Vec::new(),
    };
    // Each distinct value once, found by its spelling (a lookup a run, not a scan of the
    // values so far: a seed has a value a run).
    let mut keys: Vec<GroupKey> = Vec::new();
    let mut index_of: HashMap<(u8, Option<String>), usize> = HashMap::new();
    let mut key_of_run: HashMap<i64, usize> = HashMap::with_capacity(keyed.len());
    for (id, number, text) in keyed {
        let key = GroupKey::of(number, text);
        let index = *index_of
            .entry((key.rank(), key.label()))
            .or_insert_with(|| {
                keys.push(key);
                keys.len() - 1
            });
        key_of_run.insert(id, index);
    }
    if keys.len() > MAX_GROUPS {
        return Err(ApiError::validation(
            "group_by",
            format!(
                "{} takes {} different values among these runs; a chart draws at most {MAX_GROUPS} groups",
                answer.group_by,
                keys.len()
            ),
        ));
    }
    if answer.log_name.is_empty() {
        return Ok(axum::Json(answer));
    }
    let series: Vec<_> = storage
        .project_line_series(project_id, &answer.log_name)
        .await?
        .into_iter()
        .filter(|(experiment_id, _)| key_of_run.contains_key(experiment_id))
        .collect();
    let Some(window) = range.resolve(series.iter().map(|(_, row)| row)) else {
        return Ok(axum::Json(answer));
    };
    (answer.from, answer.to) = (Some(window.from), Some(window.to));
    answer.groups = read_groups(storage, &series, &key_of_run, &keys, window).await?;
    Ok(axum::Json(answer))
}

/// The band of each (group, series name) of `series`, each series' run in the group
/// `key_of_run` says, in the groups' order then by series name.
async fn read_groups(
    storage: &Storage,
    series: &[(i64, SeriesRow)],
    key_of_run: &HashMap<i64, usize>,
    keys: &[GroupKey],
    window: Window,
) -> StoreResult<Vec<LineGroup>> {
    // One band a (group, series name); each series knows its run and its band.
    let mut bands: Vec<(usize, String)> = Vec::new();
    let mut members = Vec::with_capacity(series.len());
    for (experiment_id, row) in series {
        let key = key_of_run[experiment_id];
        let band = match bands
            .iter()
            .position(|(k, name)| *k == key && *name == row.name)
        {
            Some(index) => index,
            None => {
                bands.push((key, row.name.clone()));
                bands.len() - 1
            }
        };
        members.push(Member {
            series_id: row.id,
            experiment_id: *experiment_id,
            band,
        });
    }
    let folded = read_bands(storage, members, bands.len(), window).await?;
    let mut groups: Vec<((usize, String), GroupBand)> = bands.into_iter().zip(folded).collect();
    groups.sort_by(|((a, x), _), ((b, y), _)| keys[*a].cmp(&keys[*b]).then_with(|| x.cmp(y)));
    Ok(groups
        .into_iter()
        .filter_map(|((key, name), band)| band.finish(keys[key].label(), name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_numbers_then_texts_then_missing() {
        let mut keys = [
            GroupKey::Missing,
            GroupKey::Text("b".into()),
            GroupKey::Number(0.01),
            GroupKey::Text("a".into()),
            GroupKey::Number(-3.0),
        ];
        keys.sort_by(GroupKey::cmp);
        let labels: Vec<Option<String>> = keys.iter().map(GroupKey::label).collect();
        assert_eq!(
            labels,
            [
                Some("-3".to_owned()),
                Some("0.01".to_owned()),
                Some("a".to_owned()),
                Some("b".to_owned()),
                None
            ]
        );
    }

    #[test]
    fn group_by_is_a_parameter_or_a_tag() {
        assert_eq!(
            group_field(Some(" params.lr "))
                .ok()
                .map(|f| (f.kind, f.key)),
            Some((Kind::Param, "lr".to_owned()))
        );
        assert!(group_field(Some("tags.team")).is_ok());
        for refused in [
            None,
            Some(""),
            Some("metrics.loss"),
            Some("status"),
            Some("params."),
        ] {
            let error = group_field(refused).expect_err("refused");
            assert!(
                matches!(&error, ApiError::Validation { field, .. } if field == "group_by"),
                "{refused:?}: {error:?}"
            );
        }
    }
}
