//! Experiments (MLflow's runs) searched in SQL by MLflow's grammar
//! (`domain::mlflow_search`): the native `GET /projects/{id}/experiments?filter=` and
//! MLflow's `runs/search` alike, on SQLite and PostgreSQL, never filtered in memory.
//!
//! Each field a search names is joined once and read as two columns: its number
//! (`n`) and its text (`t`), one of them set when the run has the field. Parameters
//! and tags are keys of their TABLE logs (`json_each` on SQLite, `jsonb ->` on
//! PostgreSQL); a metric is a VALUE log's number or a LINE log's last value (native),
//! or the latest value of MLflow's history (MLflow); attributes are columns. The
//! clauses then compare those columns with bound values, with exactly the meaning of
//! `Filter::matches` and `order_by`, which `tests/run_search.rs` checks on random data.

use super::page::Param;
use super::{Backend, Storage, StoreResult};
use crate::domain::mlflow::{DEFAULT_EXPERIMENT_NAME, NOTE_TAG, RUN_NAME_TAG, TAGS_LOG, USER_TAG};
use crate::domain::mlflow_search::{
    plain_number, Clause, Comparator, Field, Filter, Kind, OrderTerm, SearchValue,
};
use crate::domain::{Refusal, PARAMETERS_LOG};
use crate::listing::PageRequest;

/// Whose vocabulary the search speaks: Trackboard's (metrics are VALUE logs or LINE
/// logs' last values; attributes `name`, `status`, `id`, `created_at`…) or MLflow's
/// (metrics are the latest logged values; attributes `run_name`, `start_time`…).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Native,
    Mlflow,
}

/// A search over the experiments of some projects.
pub struct RunSearch<'a> {
    pub project_ids: &'a [i64],
    pub filter: &'a Filter,
    /// The asked order; the experiment id breaks ties, ascending.
    pub order: &'a [OrderTerm],
    pub dialect: Dialect,
}

/// The attributes each dialect knows, as the refusal lists them.
const NATIVE_ATTRIBUTES: &str = "name, status, id, description, created_at, updated_at";
const MLFLOW_ATTRIBUTES: &str =
    "run_name, run_id, status, start_time, end_time, user_id, experiment_id, lifecycle_stage";

/// The most fields (distinct keys) one search may name: each is a join.
const MAX_FIELDS: usize = 24;

/// `query` with every one of `params` bound, in order (a macro: the query types differ).
macro_rules! bound {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Int(value) => query.bind(*value),
                Param::Text(value) => query.bind(value.clone()),
                Param::Real(value) => query.bind(*value),
            };
        }
        query
    }};
}

impl Storage {
    /// The page of experiment ids `search` finds, in its order, and how many match: one
    /// statement (the total is a window over the matches), a second only for a page past
    /// the end.
    pub async fn search_runs(
        &self,
        search: &RunSearch<'_>,
        page: PageRequest,
    ) -> StoreResult<(Vec<i64>, u64)> {
        let built = translate(self.backend(), search)?;
        let conditions = built.conditions.join(" AND ");
        let next = built.params.len() + 1;
        let select = format!(
            "SELECT e.id, COUNT(*) OVER () FROM {} WHERE {conditions} ORDER BY {} \
             LIMIT ${next} OFFSET ${}",
            built.from,
            built.order,
            next + 1
        );
        let rows = bound!(sqlx::query_as::<_, (i64, i64)>(&select), &built.params)
            .bind(i64::from(page.limit))
            .bind(page.offset as i64)
            .fetch_all(&self.pool)
            .await?;
        let total = match rows.first() {
            Some((_, total)) => *total as u64,
            None if page.offset == 0 => 0,
            None => {
                let count = format!("SELECT COUNT(*) FROM {} WHERE {conditions}", built.from);
                bound!(sqlx::query_scalar::<_, i64>(&count), &built.params)
                    .fetch_one(&self.pool)
                    .await? as u64
            }
        };
        Ok((rows.into_iter().map(|(id, _)| id).collect(), total))
    }

    /// Every experiment `search` finds (at most `limit`, in id order) with its value of
    /// `field` (number, text, or neither when it has none): what a grouping groups by.
    /// A field it cannot read is refused naming `role`.
    pub async fn search_run_values(
        &self,
        search: &RunSearch<'_>,
        field: &Field,
        role: &str,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Option<f64>, Option<String>)>> {
        let (built, value) = translate_with(self.backend(), search, Some((field, role)))?;
        let Some(Value { n, t }) = value else {
            return Ok(Vec::new());
        };
        let select = format!(
            "SELECT e.id, CAST({n} AS DOUBLE PRECISION), CAST({t} AS TEXT) FROM {} WHERE {} \
             ORDER BY e.id LIMIT ${}",
            built.from,
            built.conditions.join(" AND "),
            built.params.len() + 1
        );
        let rows = bound!(
            sqlx::query_as::<_, (i64, Option<f64>, Option<String>)>(&select),
            &built.params
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }
}

/// A search as SQL: the joins, the conditions, their parameters and the order.
struct Translated {
    from: String,
    conditions: Vec<String>,
    params: Vec<Param>,
    order: String,
}

/// The SQL of `search` on `backend`; a field it cannot read is refused naming `filter`
/// or `order_by`.
fn translate(backend: Backend, search: &RunSearch<'_>) -> Result<Translated, Refusal> {
    translate_with(backend, search, None).map(|(built, _)| built)
}

/// [`translate`], with the columns of one more field selected (`role`: the request
/// field a refusal names).
fn translate_with(
    backend: Backend,
    search: &RunSearch<'_>,
    selected: Option<(&Field, &str)>,
) -> Result<(Translated, Option<Value>), Refusal> {
    let mut sql = Builder {
        backend,
        dialect: search.dialect,
        joins: Vec::new(),
        params: Vec::new(),
        fields: Vec::new(),
        tables: Vec::new(),
        mlflow_run_joined: false,
    };
    let projects = if search.project_ids.is_empty() {
        "1 = 0".to_owned()
    } else {
        let ids: Vec<String> = search
            .project_ids
            .iter()
            .map(|id| sql.param(Param::Int(*id)))
            .collect();
        format!("e.project_id IN ({})", ids.join(", "))
    };
    let mut conditions = vec![projects];
    for clause in &search.filter.clauses {
        let value = sql.value(&clause.field, "filter")?;
        conditions.push(sql.clause(&value, clause));
    }
    let mut order = Vec::new();
    for term in search.order {
        let Value { n, t } = sql.value(&term.field, "order_by")?;
        let direction = if term.ascending { "ASC" } else { "DESC" };
        let t = sql.text_order(&t);
        order.push(format!(
            "CASE WHEN {n} IS NOT NULL THEN 0 WHEN {t} IS NOT NULL THEN 1 ELSE 2 END ASC, \
             {n} {direction}, {t} {direction}"
        ));
    }
    order.push("e.id ASC".to_owned());
    let selected = match selected {
        Some((field, role)) => Some(sql.value(field, role)?),
        None => None,
    };
    let built = Translated {
        from: format!("experiments e{}", sql.joins.concat()),
        conditions,
        params: sql.params,
        order: order.join(", "),
    };
    Ok((built, selected))
}

/// A field's two columns: its number and its text (SQL expressions, NULL when the run
/// has no such value).
#[derive(Clone)]
struct Value {
    n: String,
    t: String,
}

struct Builder {
    backend: Backend,
    dialect: Dialect,
    joins: Vec<String>,
    params: Vec<Param>,
    /// The fields joined so far and their columns, so each is joined once.
    fields: Vec<(Field, Value)>,
    /// The TABLE logs joined so far, by alias.
    tables: Vec<String>,
    mlflow_run_joined: bool,
}

impl Builder {
    /// A placeholder bound to `param`.
    fn param(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    fn sqlite(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// The columns of `field`, joining what it needs the first time (`role`: the
    /// request field a refusal names).
    fn value(&mut self, field: &Field, role: &str) -> Result<Value, Refusal> {
        if let Some((_, value)) = self.fields.iter().find(|(known, _)| known == field) {
            return Ok(value.clone());
        }
        if self.fields.len() == MAX_FIELDS {
            return Err(Refusal::invalid(
                role,
                format!("a search names at most {MAX_FIELDS} different fields"),
            ));
        }
        let alias = format!("f{}", self.fields.len());
        let value = match field.kind {
            Kind::Param => self.table_key(&alias, PARAMETERS_LOG, &field.key),
            Kind::Tag => self.tag(&alias, &field.key),
            Kind::Metric => match self.dialect {
                Dialect::Native => self.native_metric(&alias, &field.key),
                Dialect::Mlflow => self.mlflow_metric(&alias, &field.key),
            },
            Kind::Attribute => self.attribute(&field.key).ok_or_else(|| {
                let known = match self.dialect {
                    Dialect::Native => NATIVE_ATTRIBUTES,
                    Dialect::Mlflow => MLFLOW_ATTRIBUTES,
                };
                Refusal::invalid(
                    role,
                    format!("unknown attribute {:?}; the attributes: {known}", field.key),
                )
            })?,
        };
        self.fields.push((field.clone(), value.clone()));
        Ok(value)
    }

    /// A key of the run's TABLE log `log` (its parameters or tags). The log is joined
    /// once for all its keys; on SQLite a key is read by its JSON path (`json_each` only
    /// for a key holding a double quote, which a path cannot spell).
    fn table_key(&mut self, alias: &str, log: &str, key: &str) -> Value {
        let table = self.table_log(log);
        if !self.sqlite() {
            let key = self.param(Param::Text(key.to_owned()));
            self.joins.push(format!(
                " LEFT JOIN LATERAL (SELECT {table}.data::jsonb -> {key} AS j) {alias} ON TRUE"
            ));
            return self.json_columns(alias);
        }
        if key.contains(['"', '\\']) {
            let key = self.param(Param::Text(key.to_owned()));
            self.joins.push(format!(
                " LEFT JOIN json_each({table}.data) {alias} ON {alias}.key = {key}"
            ));
            return self.json_columns(alias);
        }
        let path = self.param(Param::Text(format!("$.\"{key}\"")));
        let kind = format!("json_type({table}.data, {path})");
        let value = format!("json_extract({table}.data, {path})");
        Value {
            n: format!("(CASE WHEN {kind} IN ('integer', 'real') THEN {value} END)"),
            t: format!(
                "(CASE {kind} WHEN 'text' THEN {value} WHEN 'true' THEN 'true' \
                 WHEN 'false' THEN 'false' END)"
            ),
        }
    }

    /// The alias of the run's TABLE log `log`, joined the first time it is needed.
    fn table_log(&mut self, log: &str) -> String {
        let alias = format!(
            "t_{}",
            log.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        if !self.tables.contains(&alias) {
            let name = self.param(Param::Text(log.to_owned()));
            self.joins.push(format!(
                " LEFT JOIN logs {alias} ON {alias}.experiment_id = e.id AND {alias}.name = {name} \
                 AND {alias}.type = 'TABLE'"
            ));
            self.tables.push(alias.clone());
        }
        alias
    }

    /// A tag, with those MLflow shows without storing them: the run name, the
    /// description as the note, and the user when no tag names one.
    fn tag(&mut self, alias: &str, key: &str) -> Value {
        let text = |t: String| Value {
            n: "CAST(NULL AS DOUBLE PRECISION)".to_owned(),
            t,
        };
        match key {
            RUN_NAME_TAG => text("e.name".to_owned()),
            NOTE_TAG => text("(CASE WHEN e.description <> '' THEN e.description END)".to_owned()),
            USER_TAG => {
                let stored = self.table_key(alias, TAGS_LOG, key);
                self.join_mlflow_run();
                text(format!(
                    "COALESCE({}, CASE WHEN mr.user_id <> '' THEN mr.user_id END)",
                    stored.t
                ))
            }
            _ => self.table_key(alias, TAGS_LOG, key),
        }
    }

    /// The number and text of a JSON scalar joined as `alias` (a `json_each` row on
    /// SQLite, a `jsonb` column `j` on PostgreSQL); booleans read as `true`/`false`.
    fn json_columns(&self, alias: &str) -> Value {
        if self.sqlite() {
            Value {
                n: format!(
                    "(CASE WHEN {alias}.type IN ('integer', 'real') THEN {alias}.value END)"
                ),
                t: format!(
                    "(CASE {alias}.type WHEN 'text' THEN {alias}.value WHEN 'true' THEN 'true' \
                     WHEN 'false' THEN 'false' END)"
                ),
            }
        } else {
            Value {
                n: format!(
                    "(CASE WHEN jsonb_typeof({alias}.j) = 'number' \
                     THEN CAST({alias}.j #>> '{{}}' AS DOUBLE PRECISION) END)"
                ),
                t: format!(
                    "(CASE WHEN jsonb_typeof({alias}.j) IN ('string', 'boolean') \
                     THEN {alias}.j #>> '{{}}' END)"
                ),
            }
        }
    }

    /// A native metric: the VALUE log of that name, or the LINE log's last value.
    fn native_metric(&mut self, alias: &str, key: &str) -> Value {
        let key = self.param(Param::Text(key.to_owned()));
        let log = format!(
            " LEFT JOIN logs {alias}l ON {alias}l.experiment_id = e.id AND {alias}l.name = {key} \
             AND {alias}l.type IN ('VALUE', 'LINE') \
             LEFT JOIN line_series {alias}s ON {alias}l.type = 'LINE' \
             AND {alias}s.log_id = {alias}l.id AND {alias}s.name = {alias}l.name"
        );
        let value_json = format!("CASE WHEN {alias}l.type = 'VALUE' THEN {alias}l.data END");
        if self.sqlite() {
            self.joins.push(format!(
                "{log} LEFT JOIN json_each({value_json}) {alias} ON 1 = 1"
            ));
        } else {
            self.joins.push(format!(
                "{log} LEFT JOIN LATERAL (SELECT CAST({value_json} AS jsonb) AS j) {alias} ON TRUE"
            ));
        }
        let Value { n, t } = self.json_columns(alias);
        Value {
            n: format!("COALESCE({alias}s.last_value, {n})"),
            t,
        }
    }

    /// An MLflow metric: its latest value (highest step, then timestamp, then the last
    /// logged), as `runs/get` shows it.
    fn mlflow_metric(&mut self, alias: &str, key: &str) -> Value {
        let key = self.param(Param::Text(key.to_owned()));
        self.joins.push(format!(
            " LEFT JOIN logs {alias}l ON {alias}l.experiment_id = e.id AND {alias}l.name = {key} \
             AND {alias}l.type = 'LINE' \
             LEFT JOIN line_series {alias}s ON {alias}s.log_id = {alias}l.id AND {alias}s.name = {alias}l.name \
             LEFT JOIN mlflow_metric_history {alias} ON {alias}.series_id = {alias}s.id AND {alias}.seq = \
             (SELECT h.seq FROM mlflow_metric_history h WHERE h.series_id = {alias}s.id \
              ORDER BY h.step DESC, h.timestamp DESC, h.seq DESC LIMIT 1)"
        ));
        Value {
            n: format!("{alias}.value"),
            t: "CAST(NULL AS TEXT)".to_owned(),
        }
    }

    /// An attribute's columns, `None` when the dialect has no such attribute.
    fn attribute(&mut self, key: &str) -> Option<Value> {
        let text = |t: &str| Value {
            n: "CAST(NULL AS DOUBLE PRECISION)".to_owned(),
            t: t.to_owned(),
        };
        let number = |n: &str| Value {
            n: n.to_owned(),
            t: "CAST(NULL AS TEXT)".to_owned(),
        };
        match (self.dialect, key) {
            (Dialect::Native, "name") | (Dialect::Mlflow, "run_name" | "name") => {
                Some(text("e.name"))
            }
            (Dialect::Native, "status") => Some(text("e.status")),
            (Dialect::Native, "id") => Some(number("CAST(e.id AS DOUBLE PRECISION)")),
            (Dialect::Native, "description") => Some(text("e.description")),
            (Dialect::Native, "created_at" | "created") => Some(text("e.created_at")),
            (Dialect::Native, "updated_at" | "updated") => Some(text("e.updated_at")),
            (Dialect::Mlflow, "status") => Some(text(
                "(CASE e.status WHEN 'waiting' THEN 'SCHEDULED' WHEN 'running' THEN 'RUNNING' \
                 WHEN 'success' THEN 'FINISHED' WHEN 'failed' THEN 'FAILED' \
                 WHEN 'cancelled' THEN 'KILLED' END)",
            )),
            (Dialect::Mlflow, "start_time") => {
                self.join_mlflow_run();
                let created = self.created_millis();
                Some(number(&format!(
                    "CAST(COALESCE(mr.start_time, {created}) AS DOUBLE PRECISION)"
                )))
            }
            (Dialect::Mlflow, "end_time") => {
                self.join_mlflow_run();
                Some(number("CAST(mr.end_time AS DOUBLE PRECISION)"))
            }
            (Dialect::Mlflow, "user_id") => {
                self.join_mlflow_run();
                Some(text("COALESCE(mr.user_id, '')"))
            }
            (Dialect::Mlflow, "run_id" | "run_uuid" | "id") => {
                self.join_mlflow_run();
                let derived = if self.sqlite() {
                    "printf('%032x', e.id)"
                } else {
                    "lpad(to_hex(e.id), 32, '0')"
                };
                Some(text(&format!("COALESCE(mr.run_uuid, {derived})")))
            }
            (Dialect::Mlflow, "experiment_id") => {
                let default = self.param(Param::Text(DEFAULT_EXPERIMENT_NAME.to_owned()));
                Some(text(&format!(
                    "(CASE WHEN (SELECT p.name FROM projects p WHERE p.id = e.project_id) = {default} \
                     THEN '0' ELSE CAST(e.project_id AS TEXT) END)"
                )))
            }
            (Dialect::Mlflow, "lifecycle_stage") => Some(text("'active'")),
            _ => None,
        }
    }

    fn join_mlflow_run(&mut self) {
        if !self.mlflow_run_joined {
            self.joins
                .push(" LEFT JOIN mlflow_runs mr ON mr.experiment_id = e.id".to_owned());
            self.mlflow_run_joined = true;
        }
    }

    /// The experiment's creation time in milliseconds since 1970 (a run's start time
    /// when MLflow did not give one).
    fn created_millis(&self) -> &'static str {
        if self.sqlite() {
            "CAST(ROUND((julianday(e.created_at) - 2440587.5) * 86400000.0) AS INTEGER)"
        } else {
            "CAST(ROUND(EXTRACT(EPOCH FROM CAST(e.created_at AS timestamptz)) * 1000) AS BIGINT)"
        }
    }

    /// A text column as it compares and sorts: byte by byte on both engines.
    fn text_order(&self, t: &str) -> String {
        if self.sqlite() {
            t.to_owned()
        } else {
            format!("({t} COLLATE \"C\")")
        }
    }

    /// The number a text column holds when it is a plain number, else NULL
    /// (`plain_number`'s grammar).
    fn number_of_text(&self, t: &str) -> String {
        if self.sqlite() {
            // A JSON number (json_valid refuses white space around it only with the
            // character check), of at most 100 characters and a two-digit exponent.
            format!(
                "(CASE WHEN length({t}) <= 100 AND {t} NOT GLOB '*[^0-9eE.+-]*' \
                 AND {t} NOT GLOB '*[eE]*[0-9][0-9][0-9]*' AND json_valid({t}) \
                 THEN CASE WHEN json_type({t}) IN ('integer', 'real') THEN CAST({t} AS REAL) END END)"
            )
        } else {
            format!(
                "(CASE WHEN length({t}) <= 100 AND {t} ~ '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]{{1,2}})?$' \
                 THEN CAST({t} AS DOUBLE PRECISION) END)"
            )
        }
    }

    /// `value OP literal` as `Filter::matches` means it: false, never NULL, when the
    /// two cannot be compared.
    fn compared(&mut self, value: &Value, operator: &str, literal: &SearchValue) -> String {
        let t = self.text_order(&value.t);
        match literal {
            SearchValue::Number(x) => {
                let x = self.param(Param::Real(*x));
                let from_text = self.number_of_text(&value.t);
                format!(
                    "(COALESCE({} {operator} {x}, FALSE) OR COALESCE({from_text} {operator} {x}, FALSE))",
                    value.n
                )
            }
            SearchValue::Text(text) => {
                let as_text = self.param(Param::Text(text.clone()));
                let textual = format!("COALESCE({t} {operator} {as_text}, FALSE)");
                match plain_number(text) {
                    Some(x) => {
                        let x = self.param(Param::Real(x));
                        format!("(COALESCE({} {operator} {x}, FALSE) OR {textual})", value.n)
                    }
                    None => textual,
                }
            }
        }
    }

    /// `value LIKE pattern` (case-sensitive) or `ILIKE` (ASCII letters folded).
    fn like(&mut self, value: &Value, pattern: &SearchValue, fold: bool) -> String {
        let SearchValue::Text(pattern) = pattern else {
            return "FALSE".to_owned();
        };
        let pattern = if fold {
            pattern.to_ascii_lowercase()
        } else {
            pattern.clone()
        };
        let t = self.text_order(&value.t);
        let subject = if fold { format!("lower({t})") } else { t };
        if self.sqlite() {
            let glob = self.param(Param::Text(glob_of_like(&pattern)));
            format!("COALESCE({subject} GLOB {glob}, FALSE)")
        } else {
            let pattern = self.param(Param::Text(pattern));
            format!("COALESCE({subject} LIKE {pattern} ESCAPE '', FALSE)")
        }
    }

    /// One clause as a condition.
    fn clause(&mut self, value: &Value, clause: &Clause) -> String {
        let first = &clause.values[0];
        let exists = format!("({} IS NOT NULL OR {} IS NOT NULL)", value.n, value.t);
        match clause.comparator {
            Comparator::Eq => self.compared(value, "=", first),
            Comparator::Ne => self.compared(value, "<>", first),
            Comparator::Lt => self.compared(value, "<", first),
            Comparator::Le => self.compared(value, "<=", first),
            Comparator::Gt => self.compared(value, ">", first),
            Comparator::Ge => self.compared(value, ">=", first),
            Comparator::Like => self.like(value, first, false),
            Comparator::ILike => self.like(value, first, true),
            Comparator::In | Comparator::NotIn => {
                let equal: Vec<String> = clause
                    .values
                    .iter()
                    .map(|literal| self.compared(value, "=", literal))
                    .collect();
                let any = format!("({})", equal.join(" OR "));
                if clause.comparator == Comparator::In {
                    any
                } else {
                    format!("({exists} AND NOT {any})")
                }
            }
        }
    }
}

/// A `LIKE` pattern (`%`, `_`, every other character itself) as a case-sensitive
/// SQLite `GLOB` pattern.
fn glob_of_like(pattern: &str) -> String {
    let mut glob = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '%' => glob.push('*'),
            '_' => glob.push('?'),
            '*' => glob.push_str("[*]"),
            '?' => glob.push_str("[?]"),
            '[' => glob.push_str("[[]"),
            other => glob.push(other),
        }
    }
    glob
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_become_globs_with_glob_characters_taken_literally() {
        assert_eq!(glob_of_like("yolo%_v[1]*?"), "yolo*?v[[]1][*][?]");
    }

    #[test]
    fn unknown_attributes_and_too_many_fields_are_refused() {
        let filter = Filter::parse("filter", "attributes.colour = 'red'").expect("parsed");
        let search = RunSearch {
            project_ids: &[1],
            filter: &filter,
            order: &[],
            dialect: Dialect::Native,
        };
        let refused = translate(Backend::Sqlite, &search).err().expect("refused");
        assert_eq!(refused.field, "filter");
        assert!(
            refused.message.contains("created_at"),
            "{}",
            refused.message
        );
        let many: Vec<String> = (0..=MAX_FIELDS)
            .map(|i| format!("params.p{i} = '1'"))
            .collect();
        let filter = Filter::parse("filter", &many.join(" and ")).expect("parsed");
        let search = RunSearch {
            filter: &filter,
            ..search
        };
        assert!(translate(Backend::Postgres, &search).is_err());
    }
}
