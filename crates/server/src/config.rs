//! Command-line flags and their environment variables.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// How to run the server. Every flag can also be set by its environment variable.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "trackboard-server",
    version,
    about = "Trackboard tracking server"
)]
pub struct ServeConfig {
    /// Address to listen on; port 0 picks a free port (the URL printed at start says which).
    #[arg(long, env = "TRACKBOARD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database URL; the SQLite file (and its folder) is created when missing.
    #[arg(
        long,
        env = "TRACKBOARD_DATABASE_URL",
        default_value = "sqlite://data/trackboard.db"
    )]
    pub database_url: String,

    /// Directory where artifacts and images are stored.
    #[arg(
        long,
        env = "TRACKBOARD_ARTIFACT_DIR",
        default_value = "data/artifacts"
    )]
    pub artifact_dir: PathBuf,

    /// Directory of the built dashboard (trunk's `dist/`) served at `/`.
    #[arg(long, env = "TRACKBOARD_DASHBOARD_DIR", default_value = "dist")]
    pub dashboard_dir: PathBuf,

    /// Do not create the demo project when the database is empty.
    #[arg(long, env = "TRACKBOARD_NO_DEMO")]
    pub no_demo: bool,
}
