//! The strict extractors of the native API, answering their refusals in MLflow's shape,
//! and the lenient number forms MLflow's JSON uses (int64 as a number or a string,
//! doubles as a number or `"NaN"`/`"Infinity"`).

use super::error::MlflowError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A JSON body, read as strictly as the native API reads one.
pub struct MlJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MlJson<T> {
    type Rejection = MlflowError;

    async fn from_request(request: Request, state: &S) -> Result<Self, MlflowError> {
        let crate::extract::Json(value) =
            crate::extract::Json::from_request(request, state).await?;
        Ok(MlJson(value))
    }
}

/// The query string (MLflow's client sends a GET's request fields there).
pub struct MlQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for MlQuery<T> {
    type Rejection = MlflowError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, MlflowError> {
        let crate::extract::Query(value) =
            crate::extract::Query::from_request_parts(parts, state).await?;
        Ok(MlQuery(value))
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText<N> {
    Number(N),
    Text(String),
}

/// An int64 as MLflow sends it: a JSON number or a decimal string.
pub fn int64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    match NumberOrText::<i64>::deserialize(deserializer)? {
        NumberOrText::Number(number) => Ok(number),
        NumberOrText::Text(text) => text
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("{text:?} is not an int64"))),
    }
}

/// An optional int64, as [`int64`].
pub fn opt_int64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "int64")] i64);
    Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(value)| value))
}

/// A double as protobuf's JSON sends it: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`.
pub fn double<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    match NumberOrText::<f64>::deserialize(deserializer)? {
        NumberOrText::Number(number) => Ok(number),
        NumberOrText::Text(text) => match text.as_str() {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => text
                .parse()
                .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a number"))),
        },
    }
}
