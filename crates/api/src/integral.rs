//! Integers of request bodies as JSON Schema defines them: a number with no fraction is
//! an integer, so `4.0` is the id 4 (generated clients and JavaScript send such numbers).
//! Anything with a fraction, or beyond the range, is still refused.

use serde::de::{Error, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The integer a double holds when it has no fraction and fits an `i64` (`4.0` is 4).
pub fn integer_of(value: f64) -> Option<i64> {
    // -2^63 is an i64; 2^63 is the first double past i64::MAX.
    let fits = (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&value);
    (fits && value.fract() == 0.0).then_some(value as i64)
}

/// An integer in `min..=max`, given as an integer or as a number without a fraction.
struct Integral {
    min: i64,
    max: i64,
}

impl<'de> Visitor<'de> for Integral {
    type Value = i64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "an integer from {} to {}", self.min, self.max)
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<i64, E> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(E::invalid_value(Unexpected::Signed(value), &self))
        }
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(value), &self))
            .and_then(|value| self.visit_i64(value))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<i64, E> {
        match integer_of(value) {
            Some(integer) => self.visit_i64(integer),
            None => Err(E::invalid_value(Unexpected::Float(value), &self)),
        }
    }
}

fn integral<'de, D: Deserializer<'de>>(
    deserializer: D,
    min: i64,
    max: i64,
) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Integral { min, max })
}

/// An id: any `i64`.
pub fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    integral(deserializer, i64::MIN, i64::MAX)
}

/// An optional id; `null` is `None`.
pub fn optional_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Wrapped>::deserialize(deserializer).map(|id| id.map(|Wrapped(id)| id))
}

/// A field that may be absent (`None`, by `default`), `null` (`Some(None)`) or an id.
pub fn present_or_null_id<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    optional_id(deserializer).map(Some)
}

/// A count: `0..=i64::MAX`, what the database can hold.
pub fn count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    integral(deserializer, 0, i64::MAX).map(|count| count as u64)
}

struct Wrapped(i64);

impl<'de> Deserialize<'de> for Wrapped {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        id(deserializer).map(Wrapped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Body {
        #[serde(deserialize_with = "id")]
        id: i64,
        #[serde(default, deserialize_with = "optional_id")]
        base: Option<i64>,
        #[serde(default, deserialize_with = "count")]
        count: u64,
    }

    fn parse(text: &str) -> Result<Body, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn numbers_without_a_fraction_are_integers() {
        assert_eq!(
            parse(r#"{"id": 4.0, "base": -11728175.0, "count": 3}"#).ok(),
            Some(Body {
                id: 4,
                base: Some(-11_728_175),
                count: 3
            })
        );
        assert_eq!(
            parse(r#"{"id": 4, "base": null}"#).map(|b| b.base).ok(),
            Some(None)
        );
    }

    #[test]
    fn fractions_and_out_of_range_numbers_are_refused() {
        for text in [
            r#"{"id": 4.5}"#,
            r#"{"id": 9223372036854775808}"#,
            r#"{"id": 1e19}"#,
            r#"{"id": "4"}"#,
            r#"{"id": 1, "count": -1}"#,
            r#"{"id": 1, "count": 9223372036854775808}"#,
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
