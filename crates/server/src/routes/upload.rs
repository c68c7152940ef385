//! Reading a multipart upload: small text fields into memory, the one `file` part
//! streamed straight into the object store.

use crate::error::ApiError;
use crate::objects::{Objects, StoredObject, UploadError};
use axum::extract::multipart::{Multipart, MultipartError};
use std::collections::HashMap;

/// The form of an artifact upload (documentation only: the parts are streamed).
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ArtifactForm {
    /// The file; its bytes are streamed to the object store.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The artifact's name; default: the file's name.
    name: Option<String>,
}

/// The form of an image upload (documentation only: the parts are streamed).
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ImageForm {
    /// A PNG, JPEG, WebP or GIF image; its type is read from its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Shown under the image.
    caption: Option<String>,
    /// The training step it belongs to.
    step: Option<i64>,
    /// `true` replaces a log of another type or drops earlier images.
    replace: Option<bool>,
}

/// The longest text field accepted beside the file.
const MAX_TEXT_FIELD: usize = 10_000;

/// A finished upload: the stored object, the file part's own name and declared type,
/// and the text fields.
#[derive(Debug)]
pub struct Upload {
    pub object: StoredObject,
    pub filename: String,
    pub declared_type: Option<String>,
    pub fields: HashMap<String, String>,
}

fn multipart_error(error: MultipartError) -> ApiError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge(format!("the upload is too large: {}", error.body_text()))
    } else {
        ApiError::BadRequest(format!("invalid multipart body: {}", error.body_text()))
    }
}

/// Reads the whole form; the part named `file` (at most `limit` bytes) goes to the
/// store under `kind/`. If anything fails after the file was stored, the object is
/// deleted again, so a refused upload leaves nothing behind.
pub async fn read_upload(
    mut multipart: Multipart,
    objects: &Objects,
    kind: &str,
    limit: u64,
) -> Result<Upload, ApiError> {
    let mut fields = HashMap::new();
    let mut file: Option<(StoredObject, String, Option<String>)> = None;
    let outcome: Result<(), ApiError> = async {
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                if file.is_some() {
                    return Err(ApiError::validation("file", "send exactly one file part"));
                }
                let filename = field.file_name().unwrap_or_default().to_owned();
                let declared = field.content_type().map(str::to_owned);
                let stored = objects
                    .put_stream(kind, field, limit)
                    .await
                    .map_err(|error| match error {
                        UploadError::TooLarge { limit } => ApiError::PayloadTooLarge(format!(
                            "the file is larger than the limit of {limit} bytes"
                        )),
                        UploadError::Body(message) => ApiError::BadRequest(message),
                        UploadError::Store(error) => ApiError::Internal(error.into()),
                    })?;
                file = Some((stored, filename, declared));
            } else {
                let text = field.text().await.map_err(multipart_error)?;
                if text.len() > MAX_TEXT_FIELD {
                    return Err(ApiError::validation(
                        name,
                        format!("form fields may hold at most {MAX_TEXT_FIELD} bytes"),
                    ));
                }
                fields.insert(name, text);
            }
        }
        Ok(())
    }
    .await;
    match (outcome, file) {
        (Ok(()), Some((object, filename, declared_type))) => Ok(Upload {
            object,
            filename,
            declared_type,
            fields,
        }),
        (Ok(()), None) => Err(ApiError::validation(
            "file",
            "the form has no part named \"file\"",
        )),
        (Err(error), stored) => {
            if let Some((object, _, _)) = stored {
                objects.delete_all_logged(&[object.key]).await;
            }
            Err(error)
        }
    }
}

impl Upload {
    /// Deletes the stored object: the caller refused the upload after reading it.
    pub async fn discard(self, objects: &Objects) {
        objects.delete_all_logged(&[self.object.key]).await;
    }
}

/// The image type of `bytes`, read from its signature, never from the client.
pub fn sniff_image_type(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_come_from_signatures() {
        assert_eq!(
            sniff_image_type(b"\x89PNG\r\n\x1a\n...."),
            Some("image/png")
        );
        assert_eq!(
            sniff_image_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(sniff_image_type(b"GIF89a..."), Some("image/gif"));
        assert_eq!(
            sniff_image_type(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(sniff_image_type(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff_image_type(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(sniff_image_type(b""), None);
    }
}
