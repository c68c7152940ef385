//! IMAGE logs: multipart uploads whose type is sniffed from the bytes, and the bytes
//! served back with that type only.

use super::experiments;
use super::logs::{once, IdempotencyParam};
use super::upload::ImageForm;
use super::upload::{boolean_field, read_upload, uploaded_image_type, UploadForm};
use super::Refused;
use crate::domain::checked_name;
use crate::error::ApiError;
use crate::extract::{Multipart, Path};
use crate::objects::Objects;
use crate::state::AppState;
use crate::storage::NewImage;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use trackboard_api::{Log, LOG_NAME_MAX_CHARS};

/// `POST /api/v1/experiments/{id}/logs/{name}/images`, multipart: `file` (PNG, JPEG,
/// WebP or GIF), optional `caption`, `step` and `replace`. Appends to the IMAGE log.
/// With an `Idempotency-Key` header the upload is applied once: sent again (a lost
/// answer, a client's journal resent after a crash), it is answered as the first time.
#[utoipa::path(
    post,
    path = "/v1/experiments/{experiment_id}/logs/{name}/images",
    tag = "logs",
    params(("experiment_id" = i64, Path), ("name" = trackboard_api::names::Name200, Path), IdempotencyParam),
    request_body(content = ImageForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Log), (status = 200, body = Log, description = "Appended"), Refused)
)]
pub async fn upload(
    State(state): State<AppState>,
    Path((experiment_id, name)): Path<(i64, String)>,
    headers: HeaderMap,
    Multipart(multipart): Multipart,
) -> Result<(StatusCode, axum::Json<Log>), ApiError> {
    let name = checked_name("name", &name, LOG_NAME_MAX_CHARS)?;
    experiments::existing(&state.storage, experiment_id).await?;
    let form = UploadForm {
        kind: "images",
        limit: state.limits.image_bytes,
        text_fields: &["caption", "step", "replace"],
        text_bytes: super::upload::MAX_TEXT_FIELD,
    };
    let upload = read_upload(multipart, &state.objects, form).await?;
    let checked = (|| {
        let content_type = uploaded_image_type(&upload.object.head)?;
        let caption = upload.fields.get("caption").cloned().unwrap_or_default();
        if caption.chars().count() > 1_000 {
            return Err(ApiError::validation(
                "caption",
                "caption must be at most 1000 characters",
            ));
        }
        let step = upload
            .fields
            .get("step")
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                integer_text(s.trim()).ok_or_else(|| {
                    ApiError::validation("step", format!("step must be an integer, got {s:?}"))
                })
            })
            .transpose()?;
        let replace = boolean_field(&upload.fields, "replace")?;
        // What the key promises to apply once: the image's bytes and every field.
        let fingerprint = (&name, &caption, step, replace, &upload.object.sha256);
        let once = once(&headers, "images", experiment_id, &fingerprint)?;
        Ok((content_type, caption, step, replace, once))
    })();
    let (content_type, caption, step, replace, once) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            upload.discard(&state.objects).await;
            return Err(error);
        }
    };
    let image = NewImage {
        object: &upload.object,
        content_type,
        caption,
        step,
    };
    match state
        .storage
        .add_image(experiment_id, &name, replace, &image, once.as_ref())
        .await
    {
        Ok((log, created, dropped, replayed)) => {
            state.objects.delete_all_logged(&dropped).await;
            if replayed {
                // Applied before: these bytes are a copy of stored ones.
                upload.discard(&state.objects).await;
            }
            Ok((
                if created {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                },
                axum::Json(log),
            ))
        }
        Err(error) => {
            upload.discard(&state.objects).await;
            Err(error.into())
        }
    }
}

/// `GET /api/v1/images/{id}`: the bytes with their sniffed type, never sniffed again
/// by the browser.
#[utoipa::path(
    get,
    path = "/v1/images/{image_id}",
    tag = "logs",
    params(("image_id" = i64, Path)),
    responses((status = 200, content_type = "image/*", description = "The image, with its sniffed type"), Refused)
)]
pub async fn get(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let (key, content_type, size) = state
        .storage
        .get_image(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no image with id {id}")))?;
    object_response(&state.objects, &key, content_type, size as u64).await
}

/// A stored image's bytes with their sniffed type, never sniffed again by the browser,
/// cached for good (an id's bytes never change).
pub(super) async fn object_response(
    objects: &Objects,
    key: &str,
    content_type: String,
    size: u64,
) -> Result<Response, ApiError> {
    let stream = objects
        .get_stream(key)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_owned(),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// An integer written as text, also as a number without a fraction (`12.0`), as JSON
/// Schema counts integers.
fn integer_text(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .and_then(trackboard_api::integer_of)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_integers_with_or_without_a_point_zero() {
        assert_eq!(integer_text("12"), Some(12));
        assert_eq!(
            integer_text("-4.382277309567169e+16"),
            Some(-43_822_773_095_671_688)
        );
        assert_eq!(integer_text("12.5"), None);
        assert_eq!(integer_text("1e19"), None);
        assert_eq!(integer_text("twelve"), None);
    }
}
