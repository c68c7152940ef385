//! Command-line flags and their environment variables.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;
use trackboard_api::TokenScope;

/// The database used when no `--database-url` is given.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/trackboard.db";

/// The command line: serve (no subcommand), or manage tokens.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "trackboard-server",
    version,
    about = "Trackboard tracking server",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeConfig,
}

/// What to do instead of serving.
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Create, list or revoke API tokens (works while the server runs).
    Token(TokenCommand),
    /// Publish a comparison as a static directory (the dashboard plus its data) that
    /// any static host serves, with no server and no token.
    Snapshot(SnapshotCommand),
}

/// `trackboard-server snapshot (--view ID | --project ID | --experiments 1,2,3) --out DIR`
#[derive(Clone, Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["view", "project", "experiments"])))]
pub struct SnapshotCommand {
    /// A saved comparison view's id (the `abc123` of `/v/abc123`).
    #[arg(long)]
    pub view: Option<String>,
    /// Compare every experiment of this project.
    #[arg(long)]
    pub project: Option<i64>,
    /// Compare these experiments, comma-separated, in this order.
    #[arg(long, value_delimiter = ',')]
    pub experiments: Vec<i64>,
    /// The directory to write; it must not exist or be empty.
    #[arg(long)]
    pub out: PathBuf,
    /// The data to read, as for serving.
    #[command(flatten)]
    pub stores: StoreFlags,
    /// The built dashboard (trunk's `dist/`) copied into the snapshot.
    #[arg(long, env = "TRACKBOARD_DASHBOARD_DIR", default_value = "dist")]
    pub dashboard_dir: PathBuf,
}

impl SnapshotCommand {
    /// The comparison the flags name.
    pub fn selection(&self) -> crate::snapshot::Selection {
        use crate::snapshot::Selection;
        match (&self.view, self.project) {
            (Some(view), _) => Selection::View(view.clone()),
            (None, Some(project)) => Selection::Project(project),
            (None, None) => Selection::Experiments(self.experiments.clone()),
        }
    }
}

/// `trackboard-server token …`
#[derive(Clone, Debug, Args)]
pub struct TokenCommand {
    /// The database holding the tokens.
    #[arg(long, env = "TRACKBOARD_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub action: TokenAction,
}

/// One token operation.
#[derive(Clone, Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print its secret (shown only this once).
    Create {
        /// Who or what the token is for.
        #[arg(long)]
        name: String,
        /// read, write or admin.
        #[arg(long, value_parser = parse_scope)]
        scope: TokenScope,
    },
    /// List every token (never their secrets).
    List,
    /// Revoke a token by id; requests with it are refused at once.
    Revoke {
        /// The id shown by `token list`.
        id: i64,
    },
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing after.
pub fn parse_origin(text: &str) -> Result<axum::http::HeaderValue, String> {
    let text = text.trim();
    let valid = (text.starts_with("http://") || text.starts_with("https://"))
        && !text
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .contains('/')
        && !text.ends_with("//");
    if !valid {
        return Err(format!(
            "an origin is scheme://host[:port] with no path, got {text:?}"
        ));
    }
    axum::http::HeaderValue::from_str(text)
        .map_err(|error| format!("invalid origin {text:?}: {error}"))
}

fn parse_scope(text: &str) -> Result<TokenScope, String> {
    TokenScope::parse(text)
        .ok_or_else(|| format!("scope must be read, write or admin, got {text:?}"))
}

/// Where the data lives: the database and the objects (artifacts and images). Shared by
/// serving and by the commands that read the same data.
#[derive(Clone, Debug, Args)]
pub struct StoreFlags {
    /// Database URL; the SQLite file (and its folder) is created when missing.
    #[arg(
        long,
        env = "TRACKBOARD_DATABASE_URL",
        default_value = DEFAULT_DATABASE_URL
    )]
    pub database_url: String,

    /// Directory where artifacts and images are stored.
    #[arg(
        long,
        env = "TRACKBOARD_ARTIFACT_DIR",
        default_value = "data/artifacts"
    )]
    pub artifact_dir: PathBuf,

    /// Where artifacts and images go when not in `--artifact-dir`: `s3://bucket[/prefix]`
    /// or `gs://bucket[/prefix]` (endpoint, region and credentials from the usual
    /// `AWS_*` / `GOOGLE_*` environment variables), or `file:///absolute/dir`.
    #[arg(long, env = "TRACKBOARD_OBJECT_STORE_URL")]
    pub object_store_url: Option<String>,
}

/// How to run the server. Every flag can also be set by its environment variable.
#[derive(Clone, Debug, Args)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free port (the URL printed at start says which).
    #[arg(long, env = "TRACKBOARD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    #[command(flatten)]
    pub stores: StoreFlags,

    /// Directory of the built dashboard (trunk's `dist/`) served at `/`.
    #[arg(long, env = "TRACKBOARD_DASHBOARD_DIR", default_value = "dist")]
    pub dashboard_dir: PathBuf,

    /// The largest artifact upload, in bytes (default 5 GiB).
    #[arg(long, env = "TRACKBOARD_MAX_ARTIFACT_BYTES", default_value_t = crate::state::DEFAULT_ARTIFACT_LIMIT)]
    pub max_artifact_bytes: u64,

    /// The largest image upload, in bytes (default 20 MiB).
    #[arg(long, env = "TRACKBOARD_MAX_IMAGE_BYTES", default_value_t = crate::state::DEFAULT_IMAGE_LIMIT)]
    pub max_image_bytes: u64,

    /// The largest log request body (JSON), in bytes (default 16 MiB: room for 100,000
    /// LINE points; ten million are refused with a 413 before parsing).
    #[arg(long, env = "TRACKBOARD_MAX_LOG_BODY_BYTES", default_value_t = crate::state::DEFAULT_LOG_BODY_LIMIT)]
    pub max_log_body_bytes: u64,

    /// Origins allowed to call the API from a browser, e.g. the CDN hosting the
    /// dashboard: `--cors-origin https://dash.example.com` (repeat, or comma-separate in
    /// the environment variable). None by default: same origin only.
    #[arg(long = "cors-origin", env = "TRACKBOARD_CORS_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    pub cors_origins: Vec<axum::http::HeaderValue>,

    /// Do not create the demo project when the database is empty.
    #[arg(long, env = "TRACKBOARD_NO_DEMO")]
    pub no_demo: bool,

    /// How long a metrics job's lease lasts (3 to 3600 s): a replica that dies
    /// mid-computation has its job taken over by another once it runs out.
    #[arg(long, env = "TRACKBOARD_JOB_LEASE_SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(3..=3600))]
    pub job_lease_seconds: u64,
}
