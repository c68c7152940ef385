//! Signed, expiring image links: an HMAC-SHA256 of the image id and an expiry under a
//! secret only the servers know, as object stores presign URLs. A link opens its one
//! image without a token until it expires, so a plain `<img src>` loads (and the browser
//! fetches, decodes and caches) images off the page's main thread.

use crate::error::ApiError;
use crate::storage::{Storage, StoreResult};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use trackboard_api::{ImageLink, ImageLinks};

/// How long a link stays valid, at least: links are given out with their expiry
/// rounded up to the next whole period and one more, so every link asked within one
/// period is the same URL (the browser's cache holds the image across visits) and
/// lives between one and two periods.
pub const LINK_PERIOD_SECONDS: i64 = 3600;

/// Signs and checks image links with the database's link secret.
#[derive(Clone)]
pub struct LinkSigner {
    secret: Arc<[u8]>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("LinkSigner(..)")
    }
}

impl LinkSigner {
    /// The signer of the secret stored in `storage` (stored first on a new database).
    pub async fn load(storage: &Storage) -> anyhow::Result<LinkSigner> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
        let secret: StoreResult<Vec<u8>> = storage.link_secret(&fresh).await;
        Ok(LinkSigner::new(&secret?))
    }

    pub fn new(secret: &[u8]) -> LinkSigner {
        LinkSigner {
            secret: secret.into(),
        }
    }

    /// Links to `image_ids` asked at `now` (seconds since the epoch), in their order.
    pub fn image_links(&self, image_ids: &[i64], now: i64) -> ImageLinks {
        let expires = (now.div_euclid(LINK_PERIOD_SECONDS) + 2) * LINK_PERIOD_SECONDS;
        let links = image_ids
            .iter()
            .map(|&image_id| ImageLink {
                image_id,
                path: format!(
                    "/linked-images/{image_id}?expires={expires}&signature={}",
                    self.signature(image_id, expires)
                ),
            })
            .collect();
        ImageLinks { expires, links }
    }

    /// The expiry of a link whose `expires` and `signature` (as the query carries them)
    /// open image `image_id` at `now`; otherwise the refusal, naming the parameter at
    /// fault.
    pub fn check(
        &self,
        image_id: i64,
        expires: Option<&str>,
        signature: Option<&str>,
        now: i64,
    ) -> Result<i64, ApiError> {
        let expires_text = expires.ok_or_else(|| {
            ApiError::validation("expires", "expires is missing: ask /image-links for a link")
        })?;
        let expires: i64 = expires_text.parse().map_err(|_| {
            ApiError::validation(
                "expires",
                format!("expires must be whole seconds since the epoch, not {expires_text:?}"),
            )
        })?;
        let signature_text = signature.ok_or_else(|| {
            ApiError::validation(
                "signature",
                "signature is missing: ask /image-links for a link",
            )
        })?;
        let signature = hex::decode(signature_text)
            .ok()
            .filter(|bytes| bytes.len() == 32)
            .ok_or_else(|| {
                ApiError::validation("signature", "signature must be 64 hexadecimal digits")
            })?;
        self.mac(image_id, expires)
            .verify_slice(&signature)
            .map_err(|_| {
                ApiError::Forbidden(format!(
                    "signature does not match image {image_id} and expires {expires}"
                ))
            })?;
        if expires <= now {
            return Err(ApiError::Forbidden(format!(
                "this link expired (expires {expires}); ask /image-links for a new one"
            )));
        }
        Ok(expires)
    }

    fn signature(&self, image_id: i64, expires: i64) -> String {
        hex::encode(self.mac(image_id, expires).finalize().into_bytes())
    }

    /// The MAC of one link. The text names what is signed, so a signature made for an
    /// image never opens anything else signed with the same secret.
    fn mac(&self, image_id: i64, expires: i64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes a key of any length");
        mac.update(format!("image:{image_id}:{expires}").as_bytes());
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_of(path: &str) -> (String, String) {
        let query = path.split_once('?').expect("a query").1;
        let mut expires = String::new();
        let mut signature = String::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("expires", value)) => expires = value.to_owned(),
                Some(("signature", value)) => signature = value.to_owned(),
                _ => panic!("unexpected {pair}"),
            }
        }
        (expires, signature)
    }

    #[test]
    fn a_link_opens_its_image_until_it_expires() {
        let signer = LinkSigner::new(b"secret");
        let now = 1_800_000_123;
        let links = signer.image_links(&[7, 9], now);
        assert_eq!(links.links.len(), 2);
        assert!(links.expires >= now + LINK_PERIOD_SECONDS);
        assert!(links.expires <= now + 2 * LINK_PERIOD_SECONDS);
        let (expires, signature) = query_of(&links.links[0].path);
        assert!(links.links[0].path.starts_with("/linked-images/7?"));
        assert_eq!(
            signer.check(7, Some(&expires), Some(&signature), now).ok(),
            Some(links.expires)
        );
        assert!(signer
            .check(7, Some(&expires), Some(&signature), links.expires - 1)
            .is_ok());
        let expired = signer.check(7, Some(&expires), Some(&signature), links.expires);
        assert!(
            matches!(expired, Err(ApiError::Forbidden(message)) if message.contains("expired"))
        );
    }

    #[test]
    fn a_link_opens_nothing_else() {
        let signer = LinkSigner::new(b"secret");
        let now = 1_800_000_123;
        let (expires, signature) = query_of(&signer.image_links(&[7], now).links[0].path);
        // Another image, a later expiry, another secret: each refused.
        assert!(matches!(
            signer.check(8, Some(&expires), Some(&signature), now),
            Err(ApiError::Forbidden(_))
        ));
        let later = (expires.parse::<i64>().expect("an integer") + LINK_PERIOD_SECONDS).to_string();
        assert!(matches!(
            signer.check(7, Some(&later), Some(&signature), now),
            Err(ApiError::Forbidden(_))
        ));
        let other = LinkSigner::new(b"another secret");
        assert!(matches!(
            other.check(7, Some(&expires), Some(&signature), now),
            Err(ApiError::Forbidden(_))
        ));
    }

    #[test]
    fn malformed_parameters_are_named() {
        let signer = LinkSigner::new(b"secret");
        let good = "00".repeat(32);
        let field_of = |expires: Option<&str>, signature: Option<&str>| match signer
            .check(1, expires, signature, 0)
        {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("not a validation error: {other:?}"),
        };
        assert_eq!(field_of(None, Some(&good)), "expires");
        assert_eq!(field_of(Some("soon"), Some(&good)), "expires");
        assert_eq!(field_of(Some("1e9"), Some(&good)), "expires");
        assert_eq!(
            field_of(Some("99999999999999999999"), Some(&good)),
            "expires"
        );
        assert_eq!(field_of(Some("10"), None), "signature");
        assert_eq!(field_of(Some("10"), Some("zz")), "signature");
        assert_eq!(field_of(Some("10"), Some(&"00".repeat(31))), "signature");
    }

    #[test]
    fn links_asked_within_one_period_are_the_same() {
        let signer = LinkSigner::new(b"secret");
        let start = 1_800_000_000 - 1_800_000_000 % LINK_PERIOD_SECONDS;
        let first = signer.image_links(&[3], start);
        let last = signer.image_links(&[3], start + LINK_PERIOD_SECONDS - 1);
        assert_eq!(first, last);
        assert_ne!(first, signer.image_links(&[3], start + LINK_PERIOD_SECONDS));
    }
}
