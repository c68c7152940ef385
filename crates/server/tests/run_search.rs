//! The search of a project's experiments in SQL (`storage::run_search`) against the same
//! filter evaluated in memory (`Filter::matches`, `order_by`): random experiments with
//! parameters, tags, VALUE and LINE logs of numbers, numeric texts, texts and booleans,
//! and hundreds of random filters and orders over them; the server must answer exactly
//! the ids, in exactly the order, the in-memory evaluation gives. Runs on SQLite, and on
//! PostgreSQL when `TRACKBOARD_TEST_POSTGRES_URL` is set (`make test` does both).

mod common;

use common::TestApp;
use serde_json::{json, Value};
use std::collections::HashMap;
use trackboard_api::encode_component;
use trackboard_server::domain::mlflow_search::{
    order_by, parse_order, Field, Filter, Kind, SearchValue,
};

/// xorshift64*: the same data and filters on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Values a parameter, tag or VALUE log takes: numbers, numeric texts (which compare
/// with numbers), texts that only look numeric, words in both cases, LIKE's own
/// characters, GLOB's characters, and booleans.
const JSON_VALUES: [&str; 18] = [
    "0.001",
    "0.01",
    "7",
    "-3",
    "1e-3",
    "2.5",
    r#""0.001""#,
    r#""7""#,
    r#""07""#,
    r#""1.""#,
    r#""adam""#,
    r#""Adam""#,
    r#""sgd_x""#,
    r#""50%""#,
    r#""a*b?[c]""#,
    r#""""#,
    "true",
    "false",
];

/// Literals the random clauses compare with.
const LITERALS: [&str; 16] = [
    "0.001",
    "7",
    "-3",
    "2.5",
    "1e-3",
    "'0.001'",
    "'7'",
    "'07'",
    "'adam'",
    "'Adam'",
    "'sgd_x'",
    "'50%'",
    "'a*b?[c]'",
    "''",
    "'true'",
    "'yolo-1'",
];

const PATTERNS: [&str; 9] = [
    "'%'",
    "'a%'",
    "'A%'",
    "'%d%'",
    "'sgd_x'",
    "'sgd%'",
    "'_dam'",
    "'50%'",
    "'a*b?[c]'",
];

const FIELDS: [&str; 10] = [
    "params.lr",
    "params.optimizer",
    "params.`batch size`",
    "tags.team",
    "metrics.accuracy",
    "metrics.loss",
    "metrics.note",
    "name",
    "status",
    "id",
];

const STATUSES: [&str; 5] = ["waiting", "running", "success", "failed", "cancelled"];

fn json_text(rng: &mut Rng) -> &'static str {
    JSON_VALUES[rng.below(JSON_VALUES.len())]
}

/// What the in-memory evaluation reads: a JSON scalar as the search sees it.
fn search_value(json: &Value) -> Option<SearchValue> {
    match json {
        Value::Number(n) => n.as_f64().map(SearchValue::Number),
        Value::String(text) => Some(SearchValue::Text(text.clone())),
        Value::Bool(flag) => Some(SearchValue::Text(flag.to_string())),
        _ => None,
    }
}

/// One experiment as stored, and its values by field.
struct Run {
    id: i64,
    values: HashMap<(Kind, String), SearchValue>,
}

impl Run {
    fn value(&self, field: &Field) -> Option<SearchValue> {
        self.values.get(&(field.kind, field.key.clone())).cloned()
    }
}

async fn random_runs(app: &TestApp, project: i64, rng: &mut Rng, count: usize) -> Vec<Run> {
    let mut runs = Vec::new();
    for index in 0..count {
        let name = format!(
            "{}-{index}",
            rng.pick(&["yolo", "Yolo", "resnet", "sgd_x", "50%"])
        );
        let experiment = app.experiment(project, json!({"name": name})).await;
        let id = experiment["id"].as_i64().expect("id");
        let mut values = HashMap::new();
        values.insert(
            (Kind::Attribute, "name".to_owned()),
            SearchValue::Text(name),
        );
        values.insert(
            (Kind::Attribute, "id".to_owned()),
            SearchValue::Number(id as f64),
        );
        let status = *rng.pick(&STATUSES);
        let patched = app
            .patch(
                &format!("/api/v1/experiments/{id}"),
                &json!({"status": status}).to_string(),
            )
            .await;
        assert!(patched.status.is_success(), "{}", patched.text());
        values.insert(
            (Kind::Attribute, "status".to_owned()),
            SearchValue::Text(status.to_owned()),
        );
        // Parameters: some keys, some not.
        let mut parameters = serde_json::Map::new();
        for key in ["lr", "optimizer", "batch size"] {
            if rng.below(4) > 0 {
                let value: Value = serde_json::from_str(json_text(rng)).expect("JSON");
                if let Some(found) = search_value(&value) {
                    values.insert((Kind::Param, key.to_owned()), found);
                }
                parameters.insert(key.to_owned(), value);
            }
        }
        if !parameters.is_empty() {
            let posted = app
                .post(
                    &format!("/api/v1/experiments/{id}/parameters"),
                    &Value::Object(parameters).to_string(),
                )
                .await;
            assert!(posted.status.is_success(), "{}", posted.text());
        }
        // A tag through MLflow's face, where tags live.
        if rng.below(2) == 0 {
            let team = rng.pick(&["vision", "Vision", "nlp_1"]).to_string();
            let tagged = app
                .post(
                    "/api/2.0/mlflow/runs/set-tag",
                    &json!({"run_id": format!("{id:032x}"), "key": "team", "value": team})
                        .to_string(),
                )
                .await;
            assert!(tagged.status.is_success(), "{}", tagged.text());
            values.insert((Kind::Tag, "team".to_owned()), SearchValue::Text(team));
        }
        // VALUE logs, and a LINE log whose last value is the metric.
        for key in ["accuracy", "note"] {
            if rng.below(3) > 0 {
                let value: Value = if key == "accuracy" {
                    json!((rng.below(21) as f64) / 20.0)
                } else {
                    serde_json::from_str(json_text(rng)).expect("JSON")
                };
                let logged = app
                    .post(
                        &format!("/api/v1/experiments/{id}/logs"),
                        &json!({"name": key, "type": "VALUE", "data": value}).to_string(),
                    )
                    .await;
                assert!(logged.status.is_success(), "{}", logged.text());
                if let Some(found) = search_value(&value) {
                    values.insert((Kind::Metric, key.to_owned()), found);
                }
            }
        }
        if rng.below(3) > 0 {
            let points: Vec<f64> = (0..3).map(|_| rng.below(100) as f64 / 10.0).collect();
            let logged = app
                .post(
                    &format!("/api/v1/experiments/{id}/logs"),
                    &json!({"name": "loss", "type": "LINE", "data": points}).to_string(),
                )
                .await;
            assert!(logged.status.is_success(), "{}", logged.text());
            values.insert(
                (Kind::Metric, "loss".to_owned()),
                SearchValue::Number(points[2]),
            );
        }
        runs.push(Run { id, values });
    }
    runs
}

fn random_clause(rng: &mut Rng) -> String {
    let field = *rng.pick(&FIELDS);
    match rng.below(10) {
        0..=5 => {
            let comparator = *rng.pick(&["=", "!=", "<", "<=", ">", ">="]);
            format!("{field} {comparator} {}", rng.pick(&LITERALS))
        }
        6 | 7 => {
            let comparator = *rng.pick(&["LIKE", "ILIKE"]);
            format!("{field} {comparator} {}", rng.pick(&PATTERNS))
        }
        _ => {
            let comparator = *rng.pick(&["IN", "NOT IN"]);
            let values: Vec<&str> = (0..1 + rng.below(3))
                .map(|_| *rng.pick(&LITERALS))
                .collect();
            format!("{field} {comparator} ({})", values.join(", "))
        }
    }
}

/// What the in-memory evaluation answers: the ids matching, in order.
fn expected(runs: &[Run], filter: &str, order: &str) -> Vec<i64> {
    let parsed = Filter::parse("filter", filter).expect(filter);
    let terms = parse_order("order_by", &[order.to_owned()]).expect(order);
    let mut found: Vec<&Run> = runs
        .iter()
        .filter(|run| parsed.matches(|field| run.value(field)))
        .collect();
    found.sort_by(|a, b| order_by(&terms, |f| a.value(f), |f| b.value(f)).then(a.id.cmp(&b.id)));
    found.iter().map(|run| run.id).collect()
}

async fn searched(app: &TestApp, project: i64, filter: &str, order: &str) -> Vec<i64> {
    let answer = app
        .get(&format!(
            "/api/v1/projects/{project}/experiments?limit=1000&filter={}&order_by={}",
            encode_component(filter),
            encode_component(order)
        ))
        .await;
    assert!(
        answer.status.is_success(),
        "{filter} / {order}: {}",
        answer.text()
    );
    let page = answer.json();
    let ids: Vec<i64> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(page["total"].as_u64(), Some(ids.len() as u64), "{filter}");
    ids
}

#[tokio::test]
async fn sql_search_answers_what_the_filter_means_on_random_runs() {
    let app = TestApp::new().await;
    let project = app.project("sweep").await;
    let mut rng = Rng(0x5ea4_c401);
    let runs = random_runs(&app, project, &mut rng, 48).await;
    let mut nonempty = 0;
    for case in 0..400 {
        let clauses: Vec<String> = (0..1 + rng.below(3))
            .map(|_| random_clause(&mut rng))
            .collect();
        let filter = clauses.join(" and ");
        let order = format!("{} {}", rng.pick(&FIELDS), rng.pick(&["ASC", "DESC"]));
        let want = expected(&runs, &filter, &order);
        let got = searched(&app, project, &filter, &order).await;
        if got != want {
            // What the two disagree on, for whoever reads the failure.
            for id in got.iter().chain(&want) {
                let run = runs.iter().find(|r| r.id == *id).expect("run");
                eprintln!("run {id}: {:?}", run.values);
                let logs = app.get(&format!("/api/v1/experiments/{id}/logs")).await;
                eprintln!("logs: {}", logs.text());
            }
        }
        assert_eq!(got, want, "case {case}: filter {filter:?}, order {order:?}");
        if !want.is_empty() && want.len() < runs.len() {
            nonempty += 1;
        }
    }
    // A page past the end still says how many match.
    let past = app
        .get(&format!(
            "/api/v1/projects/{project}/experiments?offset=5000&order_by={}",
            encode_component("metrics.accuracy DESC")
        ))
        .await
        .json();
    assert_eq!(past["items"], json!([]));
    assert_eq!(past["total"].as_u64(), Some(runs.len() as u64));
    let second = app
        .get(&format!(
            "/api/v1/projects/{project}/experiments?offset=40&limit=5&order_by={}",
            encode_component("metrics.accuracy DESC")
        ))
        .await
        .json();
    assert_eq!(second["total"].as_u64(), Some(runs.len() as u64));
    assert_eq!(second["items"].as_array().map(Vec::len), Some(5));
    // The cases must discriminate: most keep some runs and drop others.
    assert!(
        nonempty > 100,
        "only {nonempty} cases kept some runs and dropped others"
    );
}

#[tokio::test]
async fn bad_filters_and_orders_are_refused_naming_where() {
    let app = TestApp::new().await;
    let project = app.project("sweep").await;
    let uri = |query: &str| format!("/api/v1/projects/{project}/experiments?{query}");
    for (query, field, words) in [
        ("filter=metrics.a%20%3E", "filter", "character"),
        (
            "filter=metrics.a%20%3E%201%20or%20name%20%3D%20%27x%27",
            "filter",
            "character 15",
        ),
        ("filter=colour%20%3D%20%27red%27", "filter", "created_at"),
        ("order_by=metrics.a%20sideways", "order_by", "ASC or DESC"),
        ("filter=name%20%3D%20%27x%27&limit=0", "limit", "limit"),
    ] {
        let answer = app.get(&uri(query)).await;
        assert_eq!(answer.status.as_u16(), 422, "{query}: {}", answer.text());
        let body = answer.json();
        assert_eq!(body["error"]["details"]["field"], field, "{query}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains(words),
            "{query}: {body}"
        );
    }
    let missing = app
        .get("/api/v1/projects/999999/experiments?filter=name%20%3D%20%27x%27")
        .await;
    assert_eq!(missing.status.as_u16(), 404);
}

/// The experiment of a run id this server derived (32 hex digits of the id).
fn experiment_of(run_id: &str) -> i64 {
    i64::from_str_radix(run_id, 16).expect("a derived run id")
}

/// MLflow's vocabulary through `runs/search`: metrics are the latest logged values
/// (highest step, then timestamp, then the last logged), params and tags are texts,
/// attributes `run_name`, `status` and `start_time`; the same random comparison.
#[tokio::test]
async fn mlflow_runs_search_answers_what_the_filter_means() {
    let app = TestApp::new().await;
    let mut rng = Rng(0x00f1_0f10);
    let created = app
        .post(
            "/api/2.0/mlflow/experiments/create",
            &json!({"name": "sweep"}).to_string(),
        )
        .await
        .json();
    let experiment_id = created["experiment_id"].as_str().expect("id").to_owned();
    let mut runs = Vec::new();
    for index in 0..30 {
        let name = format!("{}-{index}", rng.pick(&["yolo", "Yolo", "sgd_x"]));
        let start = 1_700_000_000_000_i64 + rng.below(5) as i64;
        let run = app
            .post(
                "/api/2.0/mlflow/runs/create",
                &json!({"experiment_id": experiment_id, "run_name": name, "start_time": start})
                    .to_string(),
            )
            .await
            .json();
        let run_id = run["run"]["info"]["run_id"]
            .as_str()
            .expect("run id")
            .to_owned();
        let id = experiment_of(&run_id);
        let mut values = HashMap::new();
        values.insert(
            (Kind::Attribute, "run_name".to_owned()),
            SearchValue::Text(name),
        );
        values.insert(
            (Kind::Attribute, "start_time".to_owned()),
            SearchValue::Number(start as f64),
        );
        // Values at steps out of order and repeated: the latest is the highest step's
        // last-logged value of the highest timestamp.
        let mut metrics = Vec::new();
        let mut latest: Option<(i64, i64, usize, f64)> = None;
        for seq in 0..1 + rng.below(4) {
            let (step, timestamp) = (rng.below(3) as i64, 1_700_000_000_000 + rng.below(3) as i64);
            let value = rng.below(20) as f64 / 10.0;
            metrics.push(json!({"key": "m", "value": value, "timestamp": timestamp, "step": step}));
            if latest.is_none_or(|(s, t, q, _)| (step, timestamp, seq) > (s, t, q)) {
                latest = Some((step, timestamp, seq, value));
            }
        }
        if let Some((_, _, _, value)) = latest {
            values.insert((Kind::Metric, "m".to_owned()), SearchValue::Number(value));
        }
        let param = rng.pick(&["0.001", "0.01", "7", "adam"]).to_string();
        values.insert(
            (Kind::Param, "lr".to_owned()),
            SearchValue::Text(param.clone()),
        );
        let logged = app
            .post(
                "/api/2.0/mlflow/runs/log-batch",
                &json!({"run_id": run_id, "metrics": metrics,
                        "params": [{"key": "lr", "value": param}]})
                .to_string(),
            )
            .await;
        assert!(logged.status.is_success(), "{}", logged.text());
        runs.push(Run { id, values });
    }
    let fields = [
        "metrics.m",
        "params.lr",
        "attributes.run_name",
        "attributes.start_time",
    ];
    let mut discriminating = 0;
    for case in 0..150 {
        let field = *rng.pick(&fields);
        let comparator = *rng.pick(&["=", "!=", "<", ">=", "LIKE", "ILIKE"]);
        let literal = if comparator.contains("LIKE") {
            *rng.pick(&["'y%'", "'%x%'", "'0.0%'"])
        } else {
            *rng.pick(&["0.5", "1", "'0.01'", "'7'", "'adam'", "1700000000002"])
        };
        let filter = format!("{field} {comparator} {literal}");
        let order = format!("{} {}", rng.pick(&fields), rng.pick(&["ASC", "DESC"]));
        let want = expected(&runs, &filter, &order);
        let answer = app
            .post(
                "/api/2.0/mlflow/runs/search",
                &json!({"experiment_ids": [experiment_id], "filter": filter, "order_by": [order]})
                    .to_string(),
            )
            .await;
        assert!(answer.status.is_success(), "{filter}: {}", answer.text());
        let got: Vec<i64> = answer.json()["runs"]
            .as_array()
            .map(|runs| {
                runs.iter()
                    .map(|run| experiment_of(run["info"]["run_id"].as_str().expect("id")))
                    .collect()
            })
            .unwrap_or_default();
        // runs/search breaks ties by start time (descending) before the id.
        let mut want_ordered = want.clone();
        let terms = parse_order(
            "order_by",
            &[order.clone(), "attributes.start_time DESC".into()],
        )
        .expect("order");
        want_ordered.sort_by(|a, b| {
            let (a, b) = (
                runs.iter().find(|r| r.id == *a).expect("run"),
                runs.iter().find(|r| r.id == *b).expect("run"),
            );
            order_by(&terms, |f| a.value(f), |f| b.value(f)).then(a.id.cmp(&b.id))
        });
        assert_eq!(
            got, want_ordered,
            "case {case}: filter {filter:?}, order {order:?}"
        );
        if !got.is_empty() && got.len() < runs.len() {
            discriminating += 1;
        }
    }
    assert!(
        discriminating > 40,
        "only {discriminating} cases kept some runs and dropped others"
    );
}
