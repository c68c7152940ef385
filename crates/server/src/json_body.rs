//! Request bodies read strictly: a JSON object, parsed with correctly rounded numbers
//! (every double comes back bit for bit), refusing duplicate keys instead of keeping the
//! last one silently, then deserialised with the path of the field at fault. No HTTP
//! here: the extractor in `extract.rs` maps [`BodyError`] to its status.

use serde::de::{DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::{Map, Value};
use std::fmt;

/// Why a body was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON, or not an object at its root.
    Malformed(String),
    /// A field (a path such as `data.values[3]`) holds a value it cannot take.
    Field { field: String, message: String },
}

/// Parses `bytes` as a JSON object of type `T`.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| match error.inner().classify() {
            serde_json::error::Category::Data => BodyError::Field {
                field: field_of(error.path()),
                message: error.inner().to_string(),
            },
            _ => BodyError::Malformed(format!("invalid JSON body: {}", error.inner())),
        })
        .and_then(|StrictValue(value)| {
            deserializer
                .end()
                .map(|()| value)
                .map_err(|error| BodyError::Malformed(format!("invalid JSON body: {error}")))
        })?;
    if !value.is_object() {
        return Err(BodyError::Malformed(
            "the body must be a JSON object ({…}), not an array, string, number or null".into(),
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        if path == "." {
            BodyError::Malformed(message)
        } else {
            BodyError::Field {
                field: path,
                message,
            }
        }
    })
}

/// Parses `bytes` straight into `T`, never holding the whole JSON tree: for large
/// bodies of typed items (a COCO results file), where [`parse`]'s tree would cost many
/// times the bytes. `T` must refuse what the tree would: serde's derived structs refuse
/// a repeated field; a `T` with maps or `Value`s belongs to [`parse`].
pub fn parse_typed<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, BodyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        match error.inner().classify() {
            serde_json::error::Category::Data if path != "." => BodyError::Field {
                field: path,
                message: error.inner().to_string(),
            },
            _ => BodyError::Malformed(format!("invalid JSON body: {}", error.inner())),
        }
    })?;
    deserializer
        .end()
        .map_err(|error| BodyError::Malformed(format!("invalid JSON body: {error}")))?;
    Ok(value)
}

/// The path of a duplicate key: its object's path and the key, `data.labels` or
/// `data["7"]`.
fn field_of(path: &serde_path_to_error::Path) -> String {
    let text = path.to_string();
    if text == "." {
        "body".to_owned()
    } else {
        text
    }
}

/// A JSON value whose objects have no repeated key.
struct StrictValue(Value);

impl<'de> serde::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                // Refused while reading the repeated value, so the error's path ends
                // with the key itself (`data.7`).
                return Err(map
                    .next_value_seed(Duplicate(key))
                    .err()
                    .unwrap_or_else(|| serde::de::Error::custom("a key appears twice")));
            }
            let StrictValue(value) = map.next_value_seed(StrictSeed)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

struct StrictSeed;

/// The value of a repeated key: always refused.
struct Duplicate(String);

impl<'de> DeserializeSeed<'de> for Duplicate {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, _: D) -> Result<(), D::Error> {
        Err(serde::de::Error::custom(format!(
            "the key {:?} appears twice; each key may appear once",
            self.0
        )))
    }
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = StrictValue;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<StrictValue, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Named {
        name: String,
        #[serde(default)]
        value: Option<f64>,
    }

    #[test]
    fn objects_parse_with_exact_doubles() {
        let named: Named =
            parse(br#"{"name": "a", "value": -0.21899245768679843}"#).expect("valid");
        assert_eq!(named.value, Some(-0.21899245768679843));
        assert_eq!(
            named.value.map(f64::to_bits),
            Some((-0.21899245768679843_f64).to_bits())
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused() {
        for body in [&br#"["a", "b"]"#[..], b"\"text\"", b"7", b"null"] {
            assert!(
                matches!(parse::<Named>(body), Err(BodyError::Malformed(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused_with_their_path() {
        let refused = parse::<serde_json::Value>(br#"{"data": {"7": "a", "7": "b"}}"#);
        assert!(
            matches!(&refused, Err(BodyError::Field { field, message }) if field == "data.7" && message.contains("\"7\" appears twice")),
            "{refused:?}"
        );
        let refused = parse::<Named>(br#"{"name": "a", "name": "b"}"#);
        assert!(
            matches!(&refused, Err(BodyError::Field { field, .. }) if field == "name"),
            "{refused:?}"
        );
    }

    #[test]
    fn wrong_types_name_their_field_and_a_missing_one_is_malformed() {
        assert!(matches!(
            parse::<Named>(br#"{"name": 7}"#),
            Err(BodyError::Field { field, .. }) if field == "name"
        ));
        assert!(matches!(
            parse::<Named>(br#"{"value": 1}"#),
            Err(BodyError::Malformed(message)) if message.contains("name")
        ));
        assert!(matches!(
            parse::<Named>(br#"{"name": "#),
            Err(BodyError::Malformed(_))
        ));
        assert!(matches!(
            parse::<Named>(br#"{"name": "a"} trailing"#),
            Err(BodyError::Malformed(_))
        ));
    }
}
