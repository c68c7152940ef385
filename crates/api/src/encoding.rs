//! Percent-encoding of one URL path segment or query value, shared by the dashboard's
//! client and the server's tests so both name resources the same way.

/// `text` percent-encoded for a path segment or query value: every byte but the
/// unreserved ones (`A-Z a-z 0-9 - . _ ~`) is escaped, `/` included.
pub fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                (byte as char).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_escape_everything_but_unreserved_bytes() {
        assert_eq!(encode_component("Loss/total loss"), "Loss%2Ftotal%20loss");
        assert_eq!(encode_component("mAP@0.5"), "mAP%400.5");
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(encode_component("a-b_c.d~"), "a-b_c.d~");
    }
}
