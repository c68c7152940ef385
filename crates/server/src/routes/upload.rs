//! Reading a multipart upload: small text fields into memory, the one `file` part
//! streamed straight into the object store.

use crate::domain::image_type;
use crate::error::ApiError;
use crate::objects::{Objects, StoredObject, UploadError};
use axum::extract::multipart::{Field, Multipart, MultipartError};
use futures_util::TryStreamExt;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

/// The form of an artifact upload (documentation only: the parts are streamed). Parts
/// it does not name are refused.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ArtifactForm {
    /// The file; its bytes are streamed to the object store.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The artifact's name, at most 200 characters; empty or absent: the file's name.
    #[schema(
        max_length = 200,
        pattern = "^(|[^\\u0000-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*)$"
    )]
    name: Option<String>,
    /// `true` (the default, as seed 000's `store`): an artifact of that name is
    /// replaced once the new bytes are whole; `false`: a taken name is a 409.
    #[schema(pattern = "^(|true|false)$")]
    replace: Option<String>,
}

/// The form of an image upload (documentation only: the parts are streamed). Parts it
/// does not name are refused.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ImageForm {
    /// A PNG, JPEG, WebP or GIF image; its type is read from its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Shown under the image; at most 1,000 characters.
    #[schema(max_length = 1000)]
    caption: Option<String>,
    /// The training step it belongs to.
    step: Option<i64>,
    /// `true` replaces a log of another type or drops earlier images.
    replace: Option<bool>,
}

/// The longest text field accepted beside the file, unless a form says otherwise.
pub const MAX_TEXT_FIELD: usize = 10_000;

/// A finished upload: the stored object, the file part's own name and declared type,
/// and the text fields.
#[derive(Debug)]
pub struct Upload {
    pub object: StoredObject,
    pub filename: String,
    pub declared_type: Option<String>,
    pub fields: HashMap<String, String>,
}

/// What an upload route takes: the file under at most `limit` bytes, stored under
/// `kind/`, and the names of the text parts it reads beside it.
#[derive(Clone, Copy, Debug)]
pub struct UploadForm {
    pub kind: &'static str,
    pub limit: u64,
    pub text_fields: &'static [&'static str],
    /// The most bytes one text part may hold.
    pub text_bytes: usize,
}

/// A `true`/`false` text part; absent or empty is `None`. Anything else is a 422 naming
/// the part.
pub fn boolean_field(
    fields: &HashMap<String, String>,
    name: &str,
) -> Result<Option<bool>, ApiError> {
    match fields.get(name).map(|s| s.trim()) {
        None | Some("") => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(other) => Err(ApiError::validation(
            name,
            format!("{name} must be true or false, got {other:?}"),
        )),
    }
}

fn multipart_error(error: MultipartError, limit: u64) -> ApiError {
    if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limit)
    } else {
        ApiError::BadRequest(format!("invalid multipart body: {}", error.body_text()))
    }
}

fn too_large(limit: u64) -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "the upload is larger than the limit of {limit} bytes"
    ))
}

/// Reads the whole form: the part named `file` goes to the store, streamed; each text
/// part is read up to [`MAX_TEXT_FIELD`] bytes and must be UTF-8; a part the form does
/// not take, or one sent twice, is refused before it is read. If anything fails after
/// the file was stored, the object is deleted again, so a refused upload leaves nothing
/// behind.
pub async fn read_upload(
    mut multipart: Multipart,
    objects: &Objects,
    form: UploadForm,
) -> Result<Upload, ApiError> {
    let mut fields = HashMap::new();
    let mut file: Option<(StoredObject, String, Option<String>)> = None;
    let outcome: Result<(), ApiError> = async {
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|error| multipart_error(error, form.limit))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                if file.is_some() {
                    return Err(ApiError::validation("file", "send exactly one file part"));
                }
                file = Some(store_file(field, objects, form).await?);
            } else if !form.text_fields.contains(&name.as_str()) {
                return Err(ApiError::validation(
                    name.clone(),
                    format!(
                        "this upload takes the parts file, {}; not {name:?}",
                        form.text_fields.join(", ")
                    ),
                ));
            } else {
                match fields.entry(name) {
                    Entry::Occupied(taken) => {
                        let name = taken.key();
                        return Err(ApiError::validation(
                            name.clone(),
                            format!("the part {name:?} is sent twice; send it once"),
                        ));
                    }
                    Entry::Vacant(free) => {
                        let text = read_text(field, free.key(), form).await?;
                        free.insert(text);
                    }
                }
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

/// Streams the file part into the store. A body cut by the route's size limit is the
/// 413 that names the limit, like a file over it.
async fn store_file(
    field: Field<'_>,
    objects: &Objects,
    form: UploadForm,
) -> Result<(StoredObject, String, Option<String>), ApiError> {
    let filename = field.file_name().unwrap_or_default().to_owned();
    let declared = field.content_type().map(str::to_owned);
    let over_limit = AtomicBool::new(false);
    let body = field.map_err(|error| {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            over_limit.store(true, Ordering::Relaxed);
        }
        error
    });
    let stored = objects
        .put_stream(form.kind, body, form.limit)
        .await
        .map_err(|error| match error {
            UploadError::TooLarge { limit } => too_large(limit),
            UploadError::Body(_) if over_limit.load(Ordering::Relaxed) => too_large(form.limit),
            UploadError::Body(message) => ApiError::BadRequest(message),
            UploadError::Store(error) => ApiError::Internal(error.into()),
        })?;
    Ok((stored, filename, declared))
}

/// A batch upload: every part named as the files are, streamed to the store, and the
/// one text part.
#[derive(Debug)]
pub struct Batch {
    /// Each stored file with the name its part gave.
    pub files: Vec<(StoredObject, String)>,
    pub text: Option<String>,
}

impl Batch {
    /// Deletes every stored file: the caller refused the batch after reading it.
    pub async fn discard(self, objects: &Objects) {
        let keys: Vec<String> = self
            .files
            .into_iter()
            .map(|(object, _)| object.key)
            .collect();
        objects.delete_all_logged(&keys).await;
    }
}

/// Reads a form of many `file_part` files and one `text_part` (at most `max_files`
/// files); nothing stays stored when it is refused.
pub async fn read_batch(
    mut multipart: Multipart,
    objects: &Objects,
    form: UploadForm,
    (file_part, text_part): (&str, &str),
    max_files: usize,
) -> Result<Batch, ApiError> {
    let mut batch = Batch {
        files: Vec::new(),
        text: None,
    };
    let outcome: Result<(), ApiError> = async {
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|error| multipart_error(error, form.limit))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if name == file_part {
                if batch.files.len() >= max_files {
                    return Err(ApiError::validation(
                        file_part,
                        format!("at most {max_files} files in one request"),
                    ));
                }
                let (object, filename, _) = store_file(field, objects, form).await?;
                batch.files.push((object, filename));
            } else if name == text_part && batch.text.is_none() {
                batch.text = Some(read_text(field, text_part, form).await?);
            } else {
                return Err(ApiError::validation(
                    name.clone(),
                    format!("this upload takes parts {file_part} (many) and {text_part} (once); not {name:?}"),
                ));
            }
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(batch),
        Err(error) => {
            batch.discard(objects).await;
            Err(error)
        }
    }
}

/// A text part, read chunk by chunk and refused as soon as it passes
/// [`MAX_TEXT_FIELD`] bytes, so a huge part is never held in memory.
async fn read_text(mut field: Field<'_>, name: &str, form: UploadForm) -> Result<String, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|error| multipart_error(error, form.limit))?
    {
        if bytes.len() + chunk.len() > form.text_bytes {
            return Err(ApiError::validation(
                name,
                format!(
                    "this form's text parts may hold at most {} bytes",
                    form.text_bytes
                ),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes)
        .map_err(|_| ApiError::validation(name, format!("the part {name:?} is not UTF-8 text")))
}

impl Upload {
    /// Deletes the stored object: the caller refused the upload after reading it.
    pub async fn discard(self, objects: &Objects) {
        objects.delete_all_logged(&[self.object.key]).await;
    }
}

/// The image type of an upload's first bytes, or the refusal naming `file`.
pub fn uploaded_image_type(head: &[u8]) -> Result<&'static str, ApiError> {
    image_type(head).ok_or_else(|| {
        ApiError::validation(
            "file",
            "the file is not a PNG, JPEG, WebP or GIF image (judged by its bytes)",
        )
    })
}
