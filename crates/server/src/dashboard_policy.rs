//! The security headers of the dashboard: a Content-Security-Policy that lets the page
//! load its own files, run WebAssembly and the one inline boot script trunk writes (by
//! its hash), and call its own origin and the API named in its `config.json`, and
//! nothing else; no framing, no referrer, no type sniffing.

use base64::Engine;
use sha2::{Digest, Sha256};

/// The `Content-Security-Policy` for a built dashboard whose `index.html` and
/// `config.json` (if any) hold these texts.
pub fn content_security_policy(index_html: &str, config_json: Option<&str>) -> String {
    let scripts: String = inline_scripts(index_html)
        .iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let api = config_json
        .and_then(api_origin)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; \
         connect-src 'self'{api}; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of the `<script>` elements without a `src`, exactly as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_and_more = &after[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            scripts.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    scripts
}

/// The origin (`https://host:port`) of `api_base_url` in the runtime config, when it
/// names another server; anything that is not a plain http(s) origin is ignored, so the
/// config can never widen the policy beyond one origin.
fn api_origin(config_json: &str) -> Option<String> {
    let config: serde_json::Value = serde_json::from_str(config_json).ok()?;
    let url = config.get("api_base_url")?.as_str()?.trim();
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = rest.split('/').next()?;
    let plain = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    plain.then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str =
        "<html><head><script type=\"module\">\nimport init from '/a.js';\n</script>\
        <script src=\"/other.js\"></script><script>one()</script></head></html>";

    #[test]
    fn inline_scripts_are_found_and_scripts_with_a_source_are_not() {
        assert_eq!(
            inline_scripts(INDEX),
            ["\nimport init from '/a.js';\n", "one()"]
        );
        assert!(inline_scripts("<html></html>").is_empty());
        assert!(inline_scripts("<script>unterminated").is_empty());
    }

    #[test]
    fn the_policy_allows_each_inline_script_by_hash_and_nothing_inline_else() {
        let policy = content_security_policy(INDEX, None);
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"one()"));
        assert!(policy.contains(&format!("'sha256-{hash}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("connect-src 'self';"));
    }

    #[test]
    fn the_api_origin_of_the_config_may_be_called() {
        let policy = content_security_policy(
            INDEX,
            Some(r#"{"api_base_url": "https://tracking.example.com:8443/base"}"#),
        );
        assert!(
            policy.contains("connect-src 'self' https://tracking.example.com:8443;"),
            "{policy}"
        );
    }

    #[test]
    fn a_config_cannot_smuggle_directives_or_schemes() {
        for config in [
            r#"{"api_base_url": "https://x.example.com; script-src *"}"#,
            r#"{"api_base_url": "javascript://x"}"#,
            r#"{"api_base_url": "https://a.example.com'"}"#,
            r#"{"api_base_url": ""}"#,
            "not json",
        ] {
            let policy = content_security_policy(INDEX, Some(config));
            assert!(policy.contains("connect-src 'self';"), "{config}: {policy}");
            assert_eq!(policy.matches("script-src").count(), 1, "{config}");
        }
    }
}
