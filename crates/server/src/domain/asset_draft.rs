//! An asset about to be stored: an image already in the object store, its type and size
//! read from its bytes, a checked name and ground truth among its version's labels. A
//! COCO import matches each image the file names to the part that carried it here, so
//! the route only reads the form and stores what this answers.

use super::{checked_name, checked_shapes, image_size, image_type, parse_coco, Refusal, ShapeRole};
use std::collections::HashMap;
use trackboard_api::{DatasetVersion, Shapes};

/// The longest asset file name, in characters (as the OpenAPI document says).
pub const ASSET_FILENAME_MAX_CHARS: usize = 500;

/// A checked asset whose image is already stored under `object_key`.
#[derive(Clone, Debug)]
pub struct AssetDraft {
    pub dataset_version_id: i64,
    pub filename: String,
    pub object_key: String,
    pub content_type: String,
    pub size: u64,
    pub width: u32,
    pub height: u32,
    pub annotations: Shapes,
}

/// An image part of a form, already stored: the name its part gave, its first bytes
/// (where the type and size are read), its object key and its size.
#[derive(Clone, Copy, Debug)]
pub struct UploadedImage<'a> {
    pub filename: &'a str,
    pub head: &'a [u8],
    pub key: &'a str,
    pub size: u64,
}

/// The assets a COCO import stores, in the file's image order. `text` is the annotation file (absent when the form lacked it); every
/// image it names must be among `images` and every image sent must be named.
pub fn coco_asset_drafts(
    text: Option<&str>,
    images: &[UploadedImage<'_>],
    version: &DatasetVersion,
) -> Result<Vec<AssetDraft>, Refusal> {
    let text = text.ok_or_else(|| {
        Refusal::invalid(
            "annotations",
            "the form has no part named \"annotations\" (the COCO file)",
        )
    })?;
    let truth = parse_coco(text, &version.labels)?;
    let mut sent = HashMap::new();
    for image in images {
        if sent.insert(image.filename, image).is_some() {
            return Err(Refusal::invalid(
                "images",
                format!("the image {:?} is sent twice", image.filename),
            ));
        }
    }
    let missing: Vec<&str> = truth
        .images
        .iter()
        .map(|image| image.file_name.as_str())
        .filter(|name| !sent.contains_key(name))
        .collect();
    if !missing.is_empty() {
        return Err(Refusal::invalid(
            "images",
            format!(
                "the annotation file names images the form lacks: {}",
                missing.join(", ")
            ),
        ));
    }
    let extra: Vec<&str> = sent
        .keys()
        .copied()
        .filter(|name| !truth.images.iter().any(|image| image.file_name == *name))
        .collect();
    if !extra.is_empty() {
        return Err(Refusal::invalid(
            "images",
            format!(
                "images the annotation file does not name: {}",
                extra.join(", ")
            ),
        ));
    }
    let mut drafts = Vec::with_capacity(truth.images.len());
    for (index, image) in truth.images.into_iter().enumerate() {
        let at = format!("annotations.images[{index}]");
        let uploaded = sent[image.file_name.as_str()];
        let content_type = image_type(uploaded.head).ok_or_else(|| {
            Refusal::invalid(
                &at,
                format!(
                    "{:?} is not a PNG, JPEG, WebP or GIF image",
                    image.file_name
                ),
            )
        })?;
        let (width, height) = image_size(uploaded.head).ok_or_else(|| {
            Refusal::invalid(
                &at,
                format!(
                    "the size of {:?} cannot be read from its header",
                    image.file_name
                ),
            )
        })?;
        let declared = (image.width.unwrap_or(width), image.height.unwrap_or(height));
        if declared != (width, height) {
            return Err(Refusal::invalid(
                &at,
                format!(
                    "{:?} is {width}×{height} but the file says {}×{}",
                    image.file_name, declared.0, declared.1
                ),
            ));
        }
        let filename = checked_name(&at, &image.file_name, ASSET_FILENAME_MAX_CHARS)?;
        let shapes = checked_shapes(
            image.shapes,
            &version.labels,
            (width, height),
            ShapeRole::GroundTruth,
            &format!("{at}."),
        )?;
        drafts.push(AssetDraft {
            dataset_version_id: version.id,
            filename,
            object_key: uploaded.key.to_owned(),
            content_type: content_type.to_owned(),
            size: uploaded.size,
            width,
            height,
            annotations: shapes,
        });
    }
    Ok(drafts)
}
