//! Percent-encoding of path segments and query strings.

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

/// `a=1&b=x%20y`, leaving out pairs whose value is empty.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode_component(value)))
        .collect::<Vec<_>>()
        .join("&")
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

    #[test]
    fn query_strings_skip_empty_values() {
        assert_eq!(
            query_string(&[("limit", "10"), ("name", ""), ("order_by", "-created")]),
            "limit=10&order_by=-created"
        );
        assert_eq!(query_string(&[("name", "a&b=c")]), "name=a%26b%3Dc");
    }
}
