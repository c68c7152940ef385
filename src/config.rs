//! The runtime config file `config.json`, shipped in `dist/` beside `index.html`, so one
//! build can be pointed at any API without rebuilding.

use serde::Deserialize;

/// What `config.json` may say. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct RuntimeConfig {
    /// Origin (and optional path) of the tracking server, e.g. `https://tracking.example.com`.
    /// Empty or absent: the origin the dashboard was loaded from.
    #[serde(default)]
    pub api_base_url: String,
    /// A published snapshot's index (`snapshot/index.json`, relative to the page): set
    /// by `trackboard-server snapshot`, it makes the dashboard a read-only copy of one
    /// comparison that never calls an API.
    #[serde(default)]
    pub snapshot: Option<String>,
}

/// The config as loaded, with any problem to show the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedConfig {
    pub config: RuntimeConfig,
    /// Set when `config.json` exists but could not be used; the defaults apply then.
    pub problem: Option<String>,
}

/// Parses the text of `config.json`.
pub fn parse(text: &str) -> Result<RuntimeConfig, String> {
    serde_json::from_str(text).map_err(|error| format!("config.json is not valid: {error}"))
}

/// The API base without a trailing slash; empty means "same origin".
pub fn api_base(config: &RuntimeConfig) -> String {
    config.api_base_url.trim().trim_end_matches('/').to_owned()
}

/// Fetches `config.json` relative to the page's base URL. A missing file means the
/// defaults (a static host may not have one); an unreadable one is reported.
pub async fn load() -> LoadedConfig {
    // The boot script in index.html usually fetched it already, while the app loaded.
    let sent = match crate::api::take_early_config().await {
        Some(sent) => sent,
        None => gloo_net::http::Request::get("config.json").send().await,
    };
    let outcome = match sent {
        Ok(response) if response.status() == 404 => Ok(RuntimeConfig::default()),
        Ok(response) if response.ok() => match response.text().await {
            Ok(text) => parse(&text),
            Err(error) => Err(format!("config.json could not be read: {error}")),
        },
        Ok(response) => Err(format!("config.json answered HTTP {}", response.status())),
        Err(error) => Err(format!("config.json could not be fetched: {error}")),
    };
    crate::perf::mark(crate::perf::names::CONFIG_LOADED);
    match outcome {
        Ok(config) => LoadedConfig {
            config,
            problem: None,
        },
        Err(problem) => LoadedConfig {
            config: RuntimeConfig::default(),
            problem: Some(problem),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_config_names_its_index() {
        let config = parse(r#"{"snapshot": "snapshot/index.json"}"#).expect("valid");
        assert_eq!(config.snapshot.as_deref(), Some("snapshot/index.json"));
        assert_eq!(parse("{}").expect("valid").snapshot, None);
    }

    #[test]
    fn an_empty_object_means_same_origin() {
        let config = parse("{}").expect("valid");
        assert_eq!(api_base(&config), "");
    }

    #[test]
    fn trailing_slashes_and_spaces_are_dropped() {
        let config =
            parse(r#"{"api_base_url": " https://tracking.example.com/ "}"#).expect("valid");
        assert_eq!(api_base(&config), "https://tracking.example.com");
    }

    #[test]
    fn invalid_json_is_reported_not_ignored() {
        let error = parse(r#"{"api_base_url": 3}"#).expect_err("a number is not a URL");
        assert!(error.contains("config.json"), "{error}");
    }
}
