//! Assets of dataset versions (seed 001): an image uploaded with its ground truth,
//! listed (by label, by filename: seed 000 `find_asset`), read, deleted; and the
//! train/test split of a version's assets.

use super::images::object_response;
use super::upload::{read_batch, read_upload, uploaded_image_type, UploadForm};
use super::Refused;
use crate::domain::{
    checked_name, checked_proportion, checked_shapes, coco_asset_drafts, image_size, split_assets,
    AssetDraft, ShapeRole, UploadedImage, ASSET_FILENAME_MAX_CHARS,
};
use crate::error::ApiError;
use crate::evaluation::coco_export::coco_file;
use crate::extract::{Json, Multipart, Path, Query};
use crate::json_body::{self, BodyError};
use crate::listing::ListParams;
use crate::state::AppState;
use crate::storage::{AssetFilter, Storage};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use std::collections::BTreeMap;
use trackboard_api::{
    Asset, CocoImported, DatasetVersion, Page, Shapes, Split, SplitRequest, SplitSide,
};

/// Room for the ground truth of one asset as JSON text (10,000 shapes).
const ANNOTATIONS_BYTES: usize = 4 * 1024 * 1024;

/// The form of an asset upload (documentation only: the parts are streamed).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AssetForm {
    /// A PNG, JPEG, WebP or GIF image; its type and size are read from its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Its ground truth: `{"rectangles": [...], "polygons": [...], "classifications":
    /// [...]}` as JSON text, every label one of the version's.
    annotations: Option<String>,
    /// Overrides the file part's own name; unique within the version.
    #[schema(max_length = 500)]
    filename: Option<String>,
}

pub(super) async fn existing_version(
    storage: &Storage,
    id: i64,
) -> Result<DatasetVersion, ApiError> {
    storage
        .get_dataset_version(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no dataset version with id {id}")))
}

/// `POST /api/v1/dataset-versions/{id}/assets`, multipart: `file`, optional
/// `annotations` and `filename`. 201 with the asset.
#[utoipa::path(
    post,
    path = "/v1/dataset-versions/{version_id}/assets",
    tag = "assets",
    params(("version_id" = i64, Path)),
    request_body(content = AssetForm, content_type = "multipart/form-data"),
    responses((status = 201, body = Asset), Refused)
)]
pub async fn upload(
    State(state): State<AppState>,
    Path(version_id): Path<i64>,
    Multipart(multipart): Multipart,
) -> Result<(StatusCode, axum::Json<Asset>), ApiError> {
    let version = existing_version(&state.storage, version_id).await?;
    let form = UploadForm {
        kind: "assets",
        limit: state.limits.image_bytes,
        text_fields: &["annotations", "filename"],
        text_bytes: ANNOTATIONS_BYTES,
    };
    let upload = read_upload(multipart, &state.objects, form).await?;
    let checked = (|| {
        let content_type = uploaded_image_type(&upload.object.head)?;
        let (width, height) = image_size(&upload.object.head).ok_or_else(|| {
            ApiError::validation(
                "file",
                "the image's width and height cannot be read from its header",
            )
        })?;
        let filename = match upload.fields.get("filename") {
            Some(name) => name.clone(),
            None => upload.filename.clone(),
        };
        let filename = checked_name("filename", &filename, ASSET_FILENAME_MAX_CHARS)?;
        let annotations = match upload.fields.get("annotations") {
            None => Shapes::default(),
            Some(text) => {
                refuse_unknown_kinds(text)?;
                let shapes: Shapes =
                    json_body::parse(text.as_bytes()).map_err(|error| match error {
                        BodyError::Malformed(message) => {
                            ApiError::validation("annotations", message)
                        }
                        BodyError::Field { field, message } => {
                            ApiError::validation(format!("annotations.{field}"), message)
                        }
                    })?;
                checked_shapes(
                    shapes,
                    &version.labels,
                    (width, height),
                    ShapeRole::GroundTruth,
                    "annotations.",
                )?
            }
        };
        Ok(AssetDraft {
            dataset_version_id: version_id,
            filename,
            object_key: upload.object.key.clone(),
            content_type: content_type.to_owned(),
            size: upload.object.size,
            width,
            height,
            annotations,
        })
    })();
    let draft = match checked {
        Ok(draft) => draft,
        Err(error) => {
            upload.discard(&state.objects).await;
            return Err(error);
        }
    };
    match state
        .storage
        .create_assets(std::slice::from_ref(&draft))
        .await
    {
        Ok(mut assets) => Ok((StatusCode::CREATED, axum::Json(assets.remove(0)))),
        Err(error) => {
            upload.discard(&state.objects).await;
            Err(error.into())
        }
    }
}

/// The filter of `GET /dataset-versions/{id}/assets`, beside paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssetQuery {
    /// Only assets whose ground truth has a shape of this label.
    label: Option<String>,
    /// Only the asset of this exact filename (seed 000 `find_asset`).
    filename: Option<String>,
}

/// `GET /api/v1/dataset-versions/{id}/assets`: in upload order.
#[utoipa::path(
    get,
    path = "/v1/dataset-versions/{version_id}/assets",
    tag = "assets",
    params(("version_id" = i64, Path), ListParams<Asset>, AssetQuery),
    responses((status = 200, body = Page<Asset>), Refused)
)]
pub async fn list(
    State(state): State<AppState>,
    Path(version_id): Path<i64>,
    Query(list): Query<ListParams<Asset>>,
    Query(query): Query<AssetQuery>,
) -> Result<axum::Json<Page<Asset>>, ApiError> {
    let (page, order) = list.checked()?;
    existing_version(&state.storage, version_id).await?;
    let filter = AssetFilter {
        label: query.label,
        filename: query.filename,
    };
    let (items, total) = state
        .storage
        .list_assets(version_id, &filter, page, &order)
        .await?;
    Ok(axum::Json(page.answer(items, total)))
}

async fn existing(storage: &Storage, id: i64) -> Result<Asset, ApiError> {
    storage
        .get_asset(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no asset with id {id}")))
}

/// `GET /api/v1/assets/{id}`.
#[utoipa::path(
    get,
    path = "/v1/assets/{asset_id}",
    tag = "assets",
    params(("asset_id" = i64, Path)),
    responses((status = 200, body = Asset), Refused)
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<Asset>, ApiError> {
    Ok(axum::Json(existing(&state.storage, id).await?))
}

/// `DELETE /api/v1/assets/{id}`: the asset, its image and every evaluation of it.
#[utoipa::path(
    delete,
    path = "/v1/assets/{asset_id}",
    tag = "assets",
    params(("asset_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), Refused)
)]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let key = state
        .storage
        .delete_asset(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no asset with id {id}")))?;
    state.objects.delete_all_logged(&[key]).await;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/assets/{id}/image`: the bytes with their sniffed type.
#[utoipa::path(
    get,
    path = "/v1/assets/{asset_id}/image",
    tag = "assets",
    params(("asset_id" = i64, Path)),
    responses((status = 200, content_type = "image/*", description = "The image, with its sniffed type"), Refused)
)]
pub async fn image(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let object = state
        .storage
        .asset_object(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no asset with id {id}")))?;
    object_response(
        &state.objects,
        &object.object_key,
        object.content_type,
        object.size,
    )
    .await
}

/// `POST /api/v1/dataset-versions/{id}/split`: the version's assets split in two by a
/// seeded shuffle, with each side's label counts. Nothing is stored.
#[utoipa::path(
    post,
    path = "/v1/dataset-versions/{version_id}/split",
    tag = "assets",
    params(("version_id" = i64, Path)),
    request_body = SplitRequest,
    responses((status = 200, body = Split), Refused)
)]
pub async fn split(
    State(state): State<AppState>,
    Path(version_id): Path<i64>,
    Json(body): Json<SplitRequest>,
) -> Result<axum::Json<Split>, ApiError> {
    let proportion = checked_proportion(body.proportion)?;
    existing_version(&state.storage, version_id).await?;
    let annotated = state.storage.version_annotations(version_id).await?;
    let ids: Vec<i64> = annotated.iter().map(|(id, _)| *id).collect();
    let (train, test) = split_assets(&ids, proportion, body.seed);
    let side = |asset_ids: Vec<i64>| {
        let mut label_counts = BTreeMap::new();
        for id in &asset_ids {
            if let Ok(at) = annotated.binary_search_by_key(id, |(id, _)| *id) {
                let mut labels: Vec<&str> = annotated[at].1.labels().collect();
                labels.sort_unstable();
                labels.dedup();
                for label in labels {
                    *label_counts.entry(label.to_owned()).or_insert(0u64) += 1;
                }
            }
        }
        SplitSide {
            asset_ids,
            label_counts,
        }
    };
    Ok(axum::Json(Split {
        train: side(train),
        test: side(test),
    }))
}

/// Room for a COCO annotation file.
const COCO_FILE_BYTES: usize = 64 * 1024 * 1024;
/// The most images one import may carry.
const MAX_IMPORT_IMAGES: usize = 10_000;

/// The form of a COCO import (documentation only: the parts are streamed).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CocoImportForm {
    /// The COCO annotation file (`images`, `annotations`, `categories`); every category
    /// one of the version's labels.
    annotations: String,
    /// Every image the file names, each as a part named `images` whose file name is the
    /// image's `file_name`.
    #[schema(value_type = Vec<String>, format = Binary)]
    images: Vec<Vec<u8>>,
}

/// `POST /api/v1/dataset-versions/{id}/coco-import`, multipart: the annotation file
/// and its images. All the images become assets with their boxes and polygons, or
/// nothing is stored: an image the file names but the form lacks (or the reverse), an
/// unknown category, a size that differs from the file's, a bad shape, a taken name.
/// `GET /api/v1/dataset-versions/{id}/coco`: the version's ground truth as a COCO
/// annotation file (seed 001 `dl_annotations`; `evaluation::coco_export` says how).
#[utoipa::path(
    get,
    path = "/v1/dataset-versions/{version_id}/coco",
    tag = "assets",
    params(("version_id" = i64, Path)),
    responses((status = 200, body = Object, description = "A COCO annotation file: images, categories, annotations"), Refused)
)]
pub async fn export_coco(
    State(state): State<AppState>,
    Path(version_id): Path<i64>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let version = existing_version(&state.storage, version_id).await?;
    let assets = state.storage.version_assets(version_id).await?;
    Ok(axum::Json(coco_file(&version.labels, &assets)))
}

#[utoipa::path(
    post,
    path = "/v1/dataset-versions/{version_id}/coco-import",
    tag = "assets",
    params(("version_id" = i64, Path)),
    request_body(content = CocoImportForm, content_type = "multipart/form-data"),
    responses((status = 201, body = CocoImported), Refused)
)]
pub async fn import_coco(
    State(state): State<AppState>,
    Path(version_id): Path<i64>,
    Multipart(multipart): Multipart,
) -> Result<(StatusCode, axum::Json<CocoImported>), ApiError> {
    let version = existing_version(&state.storage, version_id).await?;
    let form = UploadForm {
        kind: "assets",
        limit: state.limits.image_bytes,
        text_fields: &[],
        text_bytes: COCO_FILE_BYTES,
    };
    let batch = read_batch(
        multipart,
        &state.objects,
        form,
        ("images", "annotations"),
        MAX_IMPORT_IMAGES,
    )
    .await?;
    let images: Vec<UploadedImage<'_>> = batch
        .files
        .iter()
        .map(|(object, filename)| UploadedImage {
            filename,
            head: &object.head,
            key: &object.key,
            size: object.size,
        })
        .collect();
    let checked = coco_asset_drafts(batch.text.as_deref(), &images, &version);
    drop(images);
    let drafts = match checked {
        Ok(checked) => checked,
        Err(refusal) => {
            batch.discard(&state.objects).await;
            return Err(refusal.into());
        }
    };
    match state.storage.create_assets(&drafts).await {
        Ok(assets) => Ok((
            StatusCode::CREATED,
            axum::Json(CocoImported {
                asset_ids: assets.iter().map(|a| a.id).collect(),
            }),
        )),
        Err(error) => {
            batch.discard(&state.objects).await;
            Err(error.into())
        }
    }
}

/// The kinds of shape an asset's `annotations` may hold.
const SHAPE_KINDS: [&str; 4] = ["rectangles", "polygons", "masks", "classifications"];

/// Refuses an `annotations` object with a key that is no kind of shape, naming it: it
/// would otherwise be dropped without a word (`{"boxes": [...]}` stored as no shapes).
fn refuse_unknown_kinds(text: &str) -> Result<(), ApiError> {
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(text) else {
        // Not an object: the shapes' own parse says what is wrong.
        return Ok(());
    };
    match fields
        .keys()
        .find(|key| !SHAPE_KINDS.contains(&key.as_str()))
    {
        None => Ok(()),
        Some(key) => Err(ApiError::validation(
            format!("annotations.{key}"),
            format!(
                "unknown kind of shape; the kinds: {}",
                SHAPE_KINDS.join(", ")
            ),
        )),
    }
}
