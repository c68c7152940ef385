//! How a [`Log`] is read. Derived, its `#[serde(flatten)]` content made serde buffer
//! every field of every log into an intermediate tree and read that tree again: a compare
//! view's 100 experiments × 12 logs spent most of their decoding there. Here the fields
//! are read once, in one pass, and `data` straight into its type's shape when `type`
//! came first (as the server writes it); otherwise it is kept as JSON until `type` is
//! known.

use crate::{ChartScope, Log, LogContent, LogType};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;

impl<'de> Deserialize<'de> for Log {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Log, D::Error> {
        deserializer.deserialize_map(LogVisitor)
    }
}

/// The data of a log of one type.
struct ContentOf(LogType);

impl<'de> DeserializeSeed<'de> for ContentOf {
    type Value = LogContent;

    fn deserialize<D: Deserializer<'de>>(self, data: D) -> Result<LogContent, D::Error> {
        Ok(match self.0 {
            LogType::Value => LogContent::Value(Deserialize::deserialize(data)?),
            LogType::Line => LogContent::Line(Deserialize::deserialize(data)?),
            LogType::Bar => LogContent::Bar(Deserialize::deserialize(data)?),
            LogType::Table => LogContent::Table(Deserialize::deserialize(data)?),
            LogType::Heatmap => LogContent::Heatmap(Deserialize::deserialize(data)?),
            LogType::Image => LogContent::Image(Deserialize::deserialize(data)?),
            LogType::Labelmap => LogContent::Labelmap(Deserialize::deserialize(data)?),
            LogType::Evaluation => LogContent::Evaluation(Deserialize::deserialize(data)?),
        })
    }
}

/// `data` as read: typed, or kept until `type` comes.
enum Data {
    Typed(LogContent),
    Untyped(serde_json::Value),
}

/// A log's field names, read without allocating them.
enum Field {
    Id,
    ExperimentId,
    Name,
    Type,
    Data,
    Scope,
    CreatedAt,
    UpdatedAt,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct FieldVisitor;

impl Visitor<'_> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
        Ok(match name {
            "id" => Field::Id,
            "experiment_id" => Field::ExperimentId,
            "name" => Field::Name,
            "type" => Field::Type,
            "data" => Field::Data,
            "scope" => Field::Scope,
            "created_at" => Field::CreatedAt,
            "updated_at" => Field::UpdatedAt,
            _ => Field::Other,
        })
    }
}

struct LogVisitor;

impl<'de> Visitor<'de> for LogVisitor {
    type Value = Log;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a log: an object with id, experiment_id, name, type and data")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Log, A::Error> {
        let mut id: Option<i64> = None;
        let mut experiment_id: Option<i64> = None;
        let mut name: Option<String> = None;
        let mut log_type: Option<LogType> = None;
        let mut data: Option<Data> = None;
        let mut scope: Option<ChartScope> = None;
        let mut created_at: Option<String> = None;
        let mut updated_at: Option<String> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Id => id = Some(map.next_value()?),
                Field::ExperimentId => experiment_id = Some(map.next_value()?),
                Field::Name => name = Some(map.next_value()?),
                Field::Type => log_type = Some(map.next_value()?),
                Field::Data => {
                    data = Some(match log_type {
                        Some(known) => Data::Typed(map.next_value_seed(ContentOf(known))?),
                        None => Data::Untyped(map.next_value()?),
                    })
                }
                Field::Scope => scope = map.next_value()?,
                Field::CreatedAt => created_at = Some(map.next_value()?),
                Field::UpdatedAt => updated_at = Some(map.next_value()?),
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let log_type = log_type.ok_or_else(|| de::Error::missing_field("type"))?;
        let content = match data.ok_or_else(|| de::Error::missing_field("data"))? {
            Data::Typed(content) if content.log_type() == log_type => content,
            Data::Typed(_) => return Err(de::Error::duplicate_field("type")),
            Data::Untyped(value) => ContentOf(log_type)
                .deserialize(value)
                .map_err(de::Error::custom)?,
        };
        Ok(Log {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            experiment_id: experiment_id
                .ok_or_else(|| de::Error::missing_field("experiment_id"))?,
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            content,
            scope,
            created_at: created_at.ok_or_else(|| de::Error::missing_field("created_at"))?,
            updated_at: updated_at.ok_or_else(|| de::Error::missing_field("updated_at"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{Log, LogContent, LogType, Scalar};

    fn heatmap_log(type_first: bool) -> String {
        let (kind, data) = (
            r#""type": "HEATMAP""#,
            r#""data": {"categories": ["cat", "dog"], "values": [[1, 2], [3, 4]]}"#,
        );
        let (first, second) = if type_first {
            (kind, data)
        } else {
            (data, kind)
        };
        format!(
            r#"{{"id": 7, "experiment_id": 3, "name": "confusion", {first}, {second},
                "scope": "test", "created_at": "a", "updated_at": "b", "later": [1, {{}}]}}"#
        )
    }

    #[test]
    fn a_log_reads_the_same_whichever_comes_first_type_or_data() {
        let typed_first: Log = serde_json::from_str(&heatmap_log(true)).expect("type first");
        let data_first: Log = serde_json::from_str(&heatmap_log(false)).expect("data first");
        assert_eq!(typed_first, data_first);
        assert_eq!(typed_first.content.log_type(), LogType::Heatmap);
        let LogContent::Heatmap(matrix) = &typed_first.content else {
            panic!("not a heatmap: {typed_first:?}");
        };
        assert_eq!(matrix.values, [[1.0, 2.0], [3.0, 4.0]]);
        assert_eq!(typed_first.scope, Some(crate::ChartScope::Test));
        assert_eq!((typed_first.id, typed_first.experiment_id), (7, 3));
    }

    #[test]
    fn every_type_round_trips_through_json_text_and_json_values() {
        let log = |content: LogContent| Log {
            id: 1,
            experiment_id: 2,
            name: "n".into(),
            content,
            scope: None,
            created_at: "t".into(),
            updated_at: "u".into(),
        };
        let samples = [
            r#"{"type": "VALUE", "data": "0.1"}"#,
            r#"{"type": "LINE", "data": {"series": [{"name": "loss", "points": 3, "first_step": 0, "last_step": 2, "last_value": null}]}}"#,
            r#"{"type": "BAR", "data": {"x": ["a"], "y": [0.30000000000000004]}}"#,
            r#"{"type": "TABLE", "data": {"lr": 0.001, "opt": "adam", "amp": true}}"#,
            r#"{"type": "IMAGE", "data": {"images": [{"id": 4, "caption": "c", "step": null, "content_type": "image/png", "size": 9, "created_at": "t"}]}}"#,
            r#"{"type": "LABELMAP", "data": {"1": "person"}}"#,
        ];
        for sample in samples {
            let content: LogContent = serde_json::from_str(sample).expect(sample);
            let original = log(content);
            let text = serde_json::to_string(&original).expect("writes");
            assert_eq!(serde_json::from_str::<Log>(&text).expect(&text), original);
            let value = serde_json::to_value(&original).expect("writes");
            assert_eq!(
                serde_json::from_value::<Log>(value).expect(sample),
                original
            );
        }
        let number = log(LogContent::Value(Scalar::Number(
            serde_json::Number::from_f64(0.1 + 0.2).expect("finite"),
        )));
        let text = serde_json::to_string(&number).expect("writes");
        assert_eq!(serde_json::from_str::<Log>(&text).expect("reads"), number);
    }

    #[test]
    fn a_log_without_its_fields_or_with_the_wrong_shape_is_refused_by_name() {
        for (text, said) in [
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "data": 1, "created_at": "t", "updated_at": "t"}"#,
                "missing field `type`",
            ),
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "type": "VALUE", "created_at": "t", "updated_at": "t"}"#,
                "missing field `data`",
            ),
            (
                r#"{"experiment_id": 2, "name": "n", "type": "VALUE", "data": 1, "created_at": "t", "updated_at": "t"}"#,
                "missing field `id`",
            ),
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "type": "PIE", "data": 1, "created_at": "t", "updated_at": "t"}"#,
                "PIE",
            ),
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "type": "BAR", "data": {"x": ["a"]}, "created_at": "t", "updated_at": "t"}"#,
                "missing field `y`",
            ),
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "data": {"x": ["a"]}, "type": "BAR", "created_at": "t", "updated_at": "t"}"#,
                "missing field `y`",
            ),
            (
                r#"{"id": 1, "experiment_id": 2, "name": "n", "type": "VALUE", "data": 1, "type": "BAR", "created_at": "t", "updated_at": "t"}"#,
                "duplicate field `type`",
            ),
        ] {
            let error = serde_json::from_str::<Log>(text).expect_err(text);
            assert!(error.to_string().contains(said), "{text}: {error}");
        }
    }
}
