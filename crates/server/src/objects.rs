//! Stored files (artifacts and images) behind the `object_store` crate: a local
//! directory by default, or a bucket named by URL (`s3://…`, `gs://…`). Keys are generated here, never derived from user input, so no
//! name or filename can reach outside the store.

use anyhow::Context;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
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
    /// The first bytes (up to 64 KiB), for sniffing the content type and an image's size.
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

/// The first bytes kept of every upload: enough to sniff a type, and to read a JPEG's
/// frame header (which follows its metadata segments) for an asset's size.
const SNIFF_BYTES: usize = 64 * 1024;

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

    /// The store a URL names: `file:///absolute/dir`, `s3://bucket[/prefix]` or
    /// `gs://bucket[/prefix]`. Endpoint, region and credentials come from the
    /// environment the way the clouds' own tools read them (`AWS_ENDPOINT_URL`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ALLOW_HTTP`;
    /// `GOOGLE_SERVICE_ACCOUNT`, …), so no secret sits in a command line.
    pub fn from_url(url: &str) -> anyhow::Result<Objects> {
        let parsed =
            url::Url::parse(url).with_context(|| format!("invalid object store URL {url:?}"))?;
        let prefix = ObjectPath::from(parsed.path().trim_matches('/'));
        let bucket_url = format!(
            "{}://{}",
            parsed.scheme(),
            parsed.host_str().unwrap_or_default()
        );
        let store: Arc<dyn ObjectStore> = match parsed.scheme() {
            "file" if !url.starts_with("file:///") => anyhow::bail!(
                "object store URL {url:?} is not an absolute file path: write file:///absolute/dir"
            ),
            "file" => {
                let dir = parsed
                    .to_file_path()
                    .map_err(|()| anyhow::anyhow!("object store URL {url:?} is not an absolute file path"))?;
                return Objects::local(&dir);
            }
            "s3" | "s3a" => Arc::new(
                AmazonS3Builder::from_env()
                    .with_url(&bucket_url)
                    .build()
                    .with_context(|| format!("cannot use the S3 bucket {url}"))?,
            ),
            "gs" => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_url(&bucket_url)
                    .build()
                    .with_context(|| format!("cannot use the Google Cloud Storage bucket {url}"))?,
            ),
            other => anyhow::bail!(
                "unsupported object store URL scheme {other:?} in {url:?}: use file://, s3:// or gs://"
            ),
        };
        let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            store
        } else {
            Arc::new(PrefixStore::new(store, prefix))
        };
        Ok(Objects { store })
    }

    /// Every stored key, e.g. `artifacts/3f…` (for tests and diagnostics).
    pub async fn keys(&self) -> Result<Vec<String>, object_store::Error> {
        self.store
            .list(None)
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
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

    /// Writes `bytes` at a key the caller chose: what a script does when it uploads to
    /// the store itself before registering the object (seed 000 `create_artifact`).
    pub async fn put_at(&self, key: &str, bytes: Bytes) -> Result<(), object_store::Error> {
        self.store
            .put(&ObjectPath::from(key), bytes.into())
            .await
            .map(|_| ())
    }

    /// The size and SHA-256 of the object at `key` (read through once), or `None` when
    /// there is none.
    pub async fn digest(&self, key: &str) -> Result<Option<(u64, String)>, object_store::Error> {
        let mut stream = match self.store.get(&ObjectPath::from(key)).await {
            Ok(found) => found.into_stream(),
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            hasher.update(&chunk);
        }
        Ok(Some((size, hex::encode(hasher.finalize()))))
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

#[cfg(test)]
mod tests {
    use super::Objects;

    fn refusal(url: &str) -> String {
        format!("{:#}", Objects::from_url(url).expect_err(url))
    }

    #[test]
    fn unusable_urls_are_refused_with_the_url_named() {
        assert!(refusal("ftp://host/dir").contains("unsupported object store URL scheme \"ftp\""));
        assert!(refusal("not a url").contains("invalid object store URL \"not a url\""));
        assert!(refusal("file:relative/dir").contains("not an absolute file path"));
        assert!(refusal("file://elsewhere/dir").contains("not an absolute file path"));
        assert!(refusal("s3://").contains("s3://"));
    }

    #[tokio::test]
    async fn a_file_url_is_a_local_directory_with_every_key_listed() {
        let folder = tempfile::tempdir().expect("folder");
        let url = format!("file://{}", folder.path().join("store").display());
        let objects = Objects::from_url(&url).expect("a file URL opens");
        let body = futures_util::stream::iter([Ok::<_, std::io::Error>(
            bytes::Bytes::from_static(b"abc"),
        )]);
        let stored = objects
            .put_stream("artifacts", body, 10)
            .await
            .expect("stored");
        assert_eq!(stored.size, 3);
        assert_eq!(
            objects.keys().await.expect("listed"),
            vec![stored.key.clone()]
        );
        assert!(folder.path().join("store").join(&stored.key).is_file());
    }
}
