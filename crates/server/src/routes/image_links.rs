//! Image links: asked with a token, opened without one (see [`crate::links`]).

use super::images::object_response;
use super::points::parse_id_list;
use super::Refused;
use crate::error::ApiError;
use crate::extract::{Path, Query};
use crate::state::AppState;
use crate::timestamp::now_seconds;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use trackboard_api::ImageLinks;

/// `?image_ids=3,1,2` of a request for links.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinksParams {
    /// 1 to 500 image ids, comma-separated (`3,1,2`), as IMAGE logs list them.
    #[param(required = true, pattern = "^-?[0-9]{1,18}(,-?[0-9]{1,18}){0,499}$")]
    image_ids: Option<String>,
}

/// `GET /api/v1/image-links?image_ids=…`: a signed link for each image, which opens it
/// without a token until the answer's `expires` (one to two hours away). Anyone holding
/// a link can open that image until then, as with an object store's presigned URL.
#[utoipa::path(
    get,
    path = "/v1/image-links",
    tag = "logs",
    params(LinksParams),
    responses((status = 200, body = ImageLinks), Refused)
)]
pub async fn image_links(
    State(state): State<AppState>,
    Query(params): Query<LinksParams>,
) -> Result<Json<ImageLinks>, ApiError> {
    let ids = parse_id_list("image_ids", params.image_ids.as_deref().unwrap_or(""))?;
    let existing = state.storage.existing_images(&ids).await?;
    if let Some(missing) = ids.iter().find(|id| !existing.contains(id)) {
        return Err(ApiError::validation(
            "image_ids",
            format!("no image with id {missing}"),
        ));
    }
    Ok(Json(state.links.image_links(&ids, now_seconds())))
}

/// `?expires=…&signature=…` of an image link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkParams {
    /// When the link stops opening, in seconds since the Unix epoch.
    #[param(required = true, pattern = "^-?[0-9]{1,18}$")]
    expires: Option<String>,
    /// The link's signature: 64 hexadecimal digits.
    #[param(required = true, pattern = "^[0-9a-fA-F]{64}$")]
    signature: Option<String>,
}

/// `GET /api/v1/linked-images/{id}?expires=…&signature=…`: the image of a link from
/// `/image-links`, without a token, as `/images/{id}` answers it; 403 once expired or
/// when the signature does not match.
#[utoipa::path(
    get,
    path = "/v1/linked-images/{image_id}",
    tag = "logs",
    params(("image_id" = i64, Path), LinkParams),
    responses((status = 200, content_type = "image/*", description = "The image, with its sniffed type"), Refused)
)]
pub async fn linked_image(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(params): Query<LinkParams>,
) -> Result<Response, ApiError> {
    let now = now_seconds();
    let expires = state.links.check(
        id,
        params.expires.as_deref(),
        params.signature.as_deref(),
        now,
    )?;
    let (key, content_type, size) = state
        .storage
        .get_image(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no image with id {id}")))?;
    let mut response = object_response(&state.objects, &key, content_type, size as u64).await?;
    // Cached no longer than the link opens (checked above: `expires` is later than now).
    let left = expires - now;
    if let Ok(value) = HeaderValue::from_str(&format!("private, max-age={left}, immutable")) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    Ok(response)
}
