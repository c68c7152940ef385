//! Stored files (artifacts and images) behind the `object_store` crate: a local
//! directory by default. Keys are generated here, never derived from user input, so no
//! name or filename can reach outside the store.

use anyhow::Context;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The object store and what the server does with it.
#[derive(Clone, Debug)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
}

/// What an upload stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredObject {
    pub key: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    /// The first bytes, for sniffing the content type.
    pub head: Vec<u8>,
}

/// Why an upload failed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The client's body failed (cut off, or over the size limit).
    #[error("{0}")]
    Body(String),
    /// The body was larger than allowed.
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

const SNIFF_BYTES: usize = 64;

impl Objects {
    /// A store in a local directory, created when missing.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Objects> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the artifact directory {}", dir.display()))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("cannot open the artifact directory {}", dir.display()))?;
        Ok(Objects {
            store: Arc::new(store),
        })
    }

    /// A fresh key under `kind/` (e.g. `artifacts/3f…`): 128 random bits in hex.
    pub fn new_key(kind: &str) -> anyhow::Result<String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
        Ok(format!("{kind}/{}", hex::encode(bytes)))
    }

    /// Streams `body` into a new object under `kind/`, hashing as it goes. Nothing is
    /// visible under the key unless the whole body arrived (a cut-off upload is aborted).
    pub async fn put_stream<S, E>(
        &self,
        kind: &str,
        mut body: S,
        limit: u64,
    ) -> Result<StoredObject, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let key = Objects::new_key(kind).map_err(|error| UploadError::Body(error.to_string()))?;
        let upload = self
            .store
            .put_multipart(&ObjectPath::from(key.as_str()))
            .await?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(error) => {
                    let _ = writer.abort().await;
                    return Err(UploadError::Body(format!(
                        "the upload was cut off: {error}"
                    )));
                }
            };
            size += chunk.len() as u64;
            if size > limit {
                let _ = writer.abort().await;
                return Err(UploadError::TooLarge { limit });
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            // Bounded memory: wait while more than a few parts are in flight.
            writer.wait_for_capacity(4).await?;
            writer.put(chunk);
        }
        writer.finish().await?;
        Ok(StoredObject {
            key,
            size,
            sha256: hex::encode(hasher.finalize()),
            head,
        })
    }

    /// The object's bytes as a stream.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, object_store::Result<Bytes>>, object_store::Error> {
        Ok(self.store.get(&ObjectPath::from(key)).await?.into_stream())
    }

    /// Deletes one object (a missing one is fine).
    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Deletes objects whose rows are gone. Failures are logged, not answered: the
    /// database change is already committed, and an orphan file loses no data.
    pub async fn delete_all_logged(&self, keys: &[String]) {
        for key in keys {
            if let Err(error) = self.delete(key).await {
                tracing::warn!(key = %key, error = %error, "could not delete a stored object");
            }
        }
    }
}
