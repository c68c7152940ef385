//! Property tests (proptest) of the log-data parsers and the M4 reducer: no input makes
//! them panic, and valid inputs come back as they went in.

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use trackboard_api::{LogType, Scalar};
use trackboard_server::domain::{m4_reduce, pixel_column, Window};
use trackboard_server::domain::{parse_log_data, LogData};

const TYPES: [LogType; 8] = [
    LogType::Value,
    LogType::Line,
    LogType::Bar,
    LogType::Table,
    LogType::Heatmap,
    LogType::Labelmap,
    LogType::Image,
    LogType::Evaluation,
];

/// Any JSON value, nested a few levels, with awkward numbers and strings.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        ".{0,12}".prop_map(Value::String),
        "-?[0-9]{1,3}".prop_map(Value::String),
        Just(json!("steps")),
        Just(json!("values")),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("x".to_owned()),
                    Just("y".to_owned()),
                    Just("steps".to_owned()),
                    Just("values".to_owned()),
                    Just("categories".to_owned()),
                    "-?[0-9]{1,3}",
                    ".{0,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn finite() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::ZERO
}

proptest! {
    // Deterministic enough for CI (512 cases each), and no regression files written.
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_data_makes_a_parser_panic(data in any_json(), kind in 0..TYPES.len()) {
        // Refusals are fine; the property is that an answer comes back.
        let _ = parse_log_data("log", TYPES[kind], &data);
    }

    #[test]
    fn line_lists_round_trip_with_their_gaps(values in prop::collection::vec(prop::option::of(finite()), 1..300)) {
        let data = Value::Array(values.iter().map(|v| json!(v)).collect());
        let parsed = parse_log_data("loss", LogType::Line, &data).expect("valid LINE");
        let LogData::Line(batch) = parsed else { panic!("not LINE") };
        prop_assert_eq!(batch.series.len(), 1);
        prop_assert_eq!(&batch.series[0].values, &values);
        prop_assert_eq!(&batch.series[0].steps, &None);
    }

    #[test]
    fn increasing_steps_round_trip(start in -1_000_000i64..1_000_000, gaps in prop::collection::vec(1i64..1_000, 1..200)) {
        let steps: Vec<i64> = gaps.iter().scan(start, |at, gap| { *at += gap; Some(*at) }).collect();
        let values: Vec<f64> = steps.iter().map(|s| *s as f64 / 7.0).collect();
        let parsed = parse_log_data("loss", LogType::Line, &json!({"steps": steps, "values": values}))
            .expect("valid LINE");
        let LogData::Line(batch) = parsed else { panic!("not LINE") };
        prop_assert_eq!(&batch.series[0].steps, &Some(steps));
        prop_assert_eq!(batch.series[0].values.iter().map(|v| v.expect("value")).collect::<Vec<_>>(), values);
    }

    #[test]
    fn bars_round_trip(bars in prop::collection::vec(("[a-z]{1,10}", finite()), 1..50)) {
        let (x, y): (Vec<String>, Vec<f64>) = bars.into_iter().unzip();
        let parsed = parse_log_data("bars", LogType::Bar, &json!({"x": x, "y": y})).expect("valid BAR");
        let LogData::Bar(data) = parsed else { panic!("not BAR") };
        prop_assert_eq!(data.x, x);
        prop_assert_eq!(data.y, y);
    }

    #[test]
    fn tables_round_trip(table in prop::collection::btree_map("[a-z_/]{1,12}", prop_oneof![
        any::<i64>().prop_map(|n| json!(n)),
        finite().prop_map(|n| json!(n)),
        any::<bool>().prop_map(|b| json!(b)),
        ".{0,20}".prop_map(|s| json!(s)),
    ], 0..30)) {
        let data = Value::Object(table.clone().into_iter().collect());
        let parsed = parse_log_data("metrics", LogType::Table, &data).expect("valid TABLE");
        let LogData::Table(parsed) = parsed else { panic!("not TABLE") };
        let back: BTreeMap<String, Value> = parsed
            .into_iter()
            .map(|(key, scalar)| (key, match scalar {
                Scalar::Number(n) => Value::Number(n),
                Scalar::Text(t) => Value::String(t),
                Scalar::Bool(b) => Value::Bool(b),
            }))
            .collect();
        prop_assert_eq!(back, table);
    }

    #[test]
    fn heatmaps_of_either_shape_round_trip(n in 1usize..12, extra in any::<bool>(), seed in any::<u32>()) {
        let size = n + usize::from(extra);
        let categories: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
        let values: Vec<Vec<f64>> = (0..size)
            .map(|r| (0..size).map(|c| f64::from((seed as usize + r * 31 + c * 7) as u32 % 1000)).collect())
            .collect();
        let parsed = parse_log_data("confusion", LogType::Heatmap, &json!({"categories": categories, "values": values}))
            .expect("valid HEATMAP");
        let LogData::Heatmap(data) = parsed else { panic!("not HEATMAP") };
        prop_assert_eq!(data.categories, categories);
        prop_assert_eq!(data.values, values);
    }

    #[test]
    fn labelmaps_round_trip_with_canonical_keys(map in prop::collection::btree_map(0u32..100_000, "[a-z][a-z ]{0,11}", 0..30)) {
        let data = Value::Object(map.iter().map(|(k, v)| (k.to_string(), json!(v))).collect());
        let parsed = parse_log_data("labelmap", LogType::Labelmap, &data).expect("valid LABELMAP");
        let LogData::Labelmap(parsed) = parsed else { panic!("not LABELMAP") };
        let expected: BTreeMap<String, String> = map.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn the_reducer_never_panics_and_counts_every_point(
        points in prop::collection::vec((any::<i64>(), prop::option::of(any::<f64>())), 0..400),
        from in any::<i64>(),
        to in any::<i64>(),
        width in 0u32..2_000,
    ) {
        // Unsorted steps, reversed ranges, NaN and infinities, width 0: an answer, no panic.
        let reduced = m4_reduce(&points, Window::new(from, to, width));
        prop_assert_eq!(reduced.count, points.len() as u64);
        prop_assert_eq!(reduced.steps.len(), reduced.values.len());
        if points.len() <= 4 * width.max(1) as usize {
            prop_assert!(!reduced.reduced);
            prop_assert_eq!(reduced.steps, points.iter().map(|(s, _)| *s).collect::<Vec<_>>());
        }
        prop_assert!(pixel_column(from, Window::new(from, to, width)) < width.max(1));
    }

    #[test]
    fn a_reduction_keeps_each_columns_extremes(
        values in prop::collection::vec(prop::option::of(-1e6f64..1e6), 50..3_000),
        width in 1u32..60,
    ) {
        let points: Vec<(i64, Option<f64>)> = values.iter().enumerate().map(|(i, v)| (i as i64, *v)).collect();
        let to = points.len() as i64 - 1;
        let reduced = m4_reduce(&points, Window::new(0, to, width));
        let kept: Vec<(i64, Option<f64>)> = reduced.steps.iter().copied().zip(reduced.values.iter().copied()).collect();
        prop_assert!(kept.iter().all(|point| points.contains(point)), "only real points are kept");
        for column in 0..width {
            let in_column = |(step, _): &&(i64, Option<f64>)| pixel_column(*step, Window::new(0, to, width)) == column;
            let extremes = |set: &[(i64, Option<f64>)]| {
                let numbers: Vec<f64> = set.iter().filter(|p| in_column(p)).filter_map(|(_, v)| *v).collect();
                (numbers.iter().copied().fold(f64::INFINITY, f64::min), numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            };
            prop_assert_eq!(extremes(&kept), extremes(&points), "column {}", column);
        }
    }
}
