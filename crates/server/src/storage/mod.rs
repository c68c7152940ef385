//! All persistent data, behind one type. Every SQL query of the server lives in this
//! module's files, written in portable SQL (Postgres support comes later).

mod artifacts;
mod datasets;
mod experiments;
mod images;
mod job_logs;
mod logs;
mod models;
mod points;
mod projects;
mod tokens;

pub use datasets::VersionDraft;
pub use experiments::ExperimentListQuery;
pub use images::NewImage;
pub use logs::{LogListQuery, SeriesRow};
pub use models::ExportTarget;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// The database, migrated and ready.
#[derive(Clone, Debug)]
pub struct Storage {
    pool: SqlitePool,
}

impl Storage {
    /// Opens (creating when missing) the SQLite database at `url` in WAL mode with
    /// durable commits, and runs pending migrations.
    pub async fn open(url: &str) -> anyhow::Result<Storage> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid database URL {url:?}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        if let Some(parent) = Path::new(options.get_filename()).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).with_context(|| {
                    format!("cannot create the database folder {}", parent.display())
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {url}"))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("cannot migrate the database")?;
        Ok(Storage { pool })
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Rows in one of the server's tables (for tests and diagnostics); 0 for any other name.
    pub async fn count_rows(&self, table: &str) -> i64 {
        const TABLES: [&str; 8] = [
            "projects",
            "experiments",
            "logs",
            "line_series",
            "line_points",
            "log_images",
            "artifacts",
            "api_tokens",
        ];
        if !TABLES.contains(&table) {
            return 0;
        }
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&self.pool)
            .await
            .unwrap_or(0)
    }

    /// The journal mode in force (`wal` unless something is wrong).
    pub async fn journal_mode(&self) -> sqlx::Result<String> {
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await
    }
}

/// Whether `error` is a violated UNIQUE constraint (answered as a 409).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|database_error| database_error.is_unique_violation())
}

/// Whether `error` is a violated FOREIGN KEY constraint (a referenced row is gone).
pub fn is_foreign_key_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|database_error| database_error.is_foreign_key_violation())
}
