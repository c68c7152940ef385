//! Query strings; path segments are encoded by the wire crate's `encode_component`.

pub use trackboard_api::encode_component;

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
    fn query_strings_skip_empty_values() {
        assert_eq!(
            query_string(&[("limit", "10"), ("name", ""), ("order_by", "-created")]),
            "limit=10&order_by=-created"
        );
        assert_eq!(query_string(&[("name", "a&b=c")]), "name=a%26b%3Dc");
    }
}
