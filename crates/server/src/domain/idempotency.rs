//! `Idempotency-Key`: a client's name for one write, so that sending it again (after a
//! lost answer) replays the first answer instead of applying the write twice.

use super::Refusal;

/// The header that carries the key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// The longest key accepted.
pub const MAX_KEY_CHARS: usize = 200;

/// A checked key: 1 to [`MAX_KEY_CHARS`] visible ASCII characters (a UUID fits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key sent, or the refusal naming the header.
    pub fn parse(text: &str) -> Result<IdempotencyKey, Refusal> {
        let visible = text.bytes().all(|byte| (0x21..=0x7E).contains(&byte));
        if text.is_empty() || text.len() > MAX_KEY_CHARS || !visible {
            return Err(Refusal::invalid(
                IDEMPOTENCY_HEADER,
                format!(
                    "{IDEMPOTENCY_HEADER} must be 1 to {MAX_KEY_CHARS} visible ASCII characters (a UUID, say)"
                ),
            ));
        }
        Ok(IdempotencyKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A write to apply once: its key and a fingerprint of the request (route, ids, body),
/// so a key reused for another request is refused rather than answered wrongly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Once {
    pub key: IdempotencyKey,
    pub fingerprint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(IdempotencyKey::parse("3f2c9a1e-0b7d-4c55-9a61-0c1d2e3f4a5b").is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(MAX_KEY_CHARS)).is_ok());
        for refused in ["", " key", "ké", "a\tb", &"k".repeat(MAX_KEY_CHARS + 1)] {
            assert_eq!(
                IdempotencyKey::parse(refused).map_err(|r| r.field),
                Err(IDEMPOTENCY_HEADER.to_owned()),
                "{refused:?}"
            );
        }
    }
}
