//! A saved comparison whose experiments were deleted since: which ids it names, and the
//! same view without the missing ones.

use crate::compare::CompareState;

/// The experiment ids of a `/compare?…` path (none for another kind of view).
pub fn compared_ids(path: &str) -> Vec<i64> {
    let Some(query) = path.strip_prefix("/compare?") else {
        return Vec::new();
    };
    CompareState::from_query(|key| query_value(query, key)).ids
}

/// `path` with `gone` taken out of its `ids`, everything else kept as it was.
pub fn without_ids(path: &str, gone: &[i64]) -> String {
    let Some(query) = path.strip_prefix("/compare?") else {
        return path.to_owned();
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.strip_prefix("ids=") {
            Some(_) => {
                let kept: Vec<String> = compared_ids(path)
                    .into_iter()
                    .filter(|id| !gone.contains(id))
                    .map(|id| id.to_string())
                    .collect();
                format!("ids={}", kept.join(","))
            }
            None => pair.to_owned(),
        })
        .collect();
    format!("/compare?{}", pairs.join("&"))
}

/// The decoded value of `key` in a query string.
fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name == key).then(|| decode(value))
    })
}

/// Percent-decoding (and `+` as a space), for the few values a view's query holds.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_names_its_ids_and_drops_the_missing_ones() {
        let path = "/compare?ids=3%2C1,2&log=Loss%2Ftotal&baseline=1";
        assert_eq!(compared_ids(path), [3, 1, 2]);
        assert_eq!(
            without_ids(path, &[1]),
            "/compare?ids=3,2&log=Loss%2Ftotal&baseline=1"
        );
        assert!(compared_ids("/projects/4?sort=name").is_empty());
        assert_eq!(without_ids("/projects/4", &[1]), "/projects/4");
        assert_eq!(decode("a%20b+c%zz"), "a b c%zz");
    }
}
