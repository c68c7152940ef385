//! All persistent data, behind one type. Every SQL query of the server lives in this
//! module's files, written once for SQLite and Postgres (see [`Backend`]).

mod artifacts;
mod assets;
mod blocks;
mod checkpoints;
mod datasets;
mod error;
mod evaluations;
mod experiments;
mod idempotency;
mod images;
mod job_logs;
mod line_groups;
mod logs;
mod metric_jobs;
mod mlflow;
mod models;
mod page;
mod points;
mod projects;
mod results;
mod run_search;
mod saved_views;
mod tokens;
mod uploads;

pub use assets::{AssetFilter, AssetObject};
pub use datasets::VersionDraft;
pub(crate) use error::Constraints;
pub use error::{StoreError, StoreResult};
pub use evaluations::EvaluationFilter;
pub use experiments::ExperimentListQuery;
pub use images::NewImage;
pub use line_groups::BlockPoints;
pub use logs::{LogListQuery, SeriesRow, ValuesRow};
pub use mlflow::{LoggedModel, RunParts, RunRecord, RunWrites};
pub use models::ExportTarget;
pub use results::{ResultRow, ResultsOf};
pub use run_search::{Dialect, RunSearch};
pub use saved_views::ViewDraft;
pub use uploads::Upload;

use anyhow::Context;
use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyPool, Transaction};
use std::path::Path;
use std::time::Duration;

/// Which database engine a [`Storage`] talks to. The SQL is written once, in the
/// dialect both accept (`$1` parameters, `RETURNING`, `ON CONFLICT`); only the
/// migrations and the way a write transaction takes its lock differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names, or an error naming the URL.
    pub fn of_url(url: &str) -> anyhow::Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!(
                "unsupported database URL {url:?}: use sqlite://path/to/file.db or postgres://user@host/db"
            )
        }
    }
}

impl Backend {
    /// The placeholders of `rows` parenthesised tuples of `columns` parameters each,
    /// comma-separated, bound in row order: `(?, ?), (?, ?)` for SQLite, `($1, $2),
    /// ($3, $4)` for Postgres. SQLite looks a numbered `$n` up by name in a list, so
    /// 30,000 of them made a 10,000-point insert quadratic (20,000 points/s instead of
    /// 450,000); anonymous `?` cost nothing.
    pub(crate) fn values_list(self, rows: usize, columns: usize) -> String {
        let mut sql = String::with_capacity(rows * columns * 4);
        for row in 0..rows {
            if row > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for column in 0..columns {
                if column > 0 {
                    sql.push_str(", ");
                }
                match self {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        sql.push('$');
                        sql.push_str(&(row * columns + column + 1).to_string());
                    }
                }
            }
            sql.push(')');
        }
        sql
    }
}

/// `ids` as integer literals for an `IN (…)` list. They are integers, so nothing can be
/// injected, and nothing is bound: SQLite looks each numbered `$n` up by name in a
/// list, so binding a page of 1,000 ids was quadratic.
pub(crate) fn id_list(ids: &[i64]) -> String {
    let mut sql = String::with_capacity(ids.len() * 8);
    for (index, id) in ids.iter().enumerate() {
        if index > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&id.to_string());
    }
    sql
}

/// The advisory lock every Postgres write transaction takes, so writers queue as they
/// do on SQLite (`BEGIN IMMEDIATE`): a read-then-write (the next step, the next
/// version number) sees every earlier commit, whichever replica made it.
const POSTGRES_WRITE_LOCK: i64 = 0x7472_6163_6b62_6f61; // "trackboa"

/// The database, migrated and ready.
#[derive(Clone, Debug)]
pub struct Storage {
    pool: AnyPool,
    backend: Backend,
}

impl Storage {
    /// Opens the database at `url` and runs pending migrations. SQLite (created when
    /// missing) runs in WAL mode with durable commits; Postgres must exist already.
    pub async fn open(url: &str) -> anyhow::Result<Storage> {
        install_default_drivers();
        let backend = Backend::of_url(url)?;
        let pool = match backend {
            Backend::Sqlite => open_sqlite(url).await?,
            Backend::Postgres => AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .with_context(|| format!("cannot open the database {}", without_password(url)))?,
        };
        let migrated = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await,
            Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await,
        };
        migrated.context("cannot migrate the database")?;
        Ok(Storage { pool, backend })
    }

    /// The engine behind this storage.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A transaction holding the database's write lock from its first statement.
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                // The lock function returns `void`, which the Any driver cannot read.
                sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                    .bind(POSTGRES_WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(StoreError::from)
            .map(|_| ())
    }

    /// Rows in one of the server's tables (for tests and diagnostics); 0 for any other name.
    pub async fn count_rows(&self, table: &str) -> i64 {
        const TABLES: [&str; 9] = [
            "projects",
            "experiments",
            "logs",
            "line_series",
            "line_points",
            "line_blocks",
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

    /// The journal mode in force (`wal` unless something is wrong; SQLite only).
    pub async fn journal_mode(&self) -> StoreResult<String> {
        sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::from)
    }
}

/// A REAL / DOUBLE PRECISION value that may be NULL (a gap in a LINE series), bound
/// so both engines read it as a double. sqlx 0.8.6's Any driver sends a NULL `f64` to
/// Postgres as a `float4` (its Real and Double NULLs are swapped in
/// `AnyArguments::convert_to`); the statement is then prepared for `float4` and the
/// next non-NULL `f64` through it is refused. A NULL `f32` goes out as `float8`.
pub(crate) struct NullableDouble(pub Option<f64>);

impl sqlx::Type<Any> for NullableDouble {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, Any> for NullableDouble {
    fn encode_by_ref(
        &self,
        buffer: &mut <Any as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(value) => <f64 as sqlx::Encode<'q, Any>>::encode_by_ref(&value, buffer),
            None => <Option<f32> as sqlx::Encode<'q, Any>>::encode_by_ref(&None, buffer),
        }
    }
}

/// Set on every SQLite connection: WAL (readers never wait for the writer), durable
/// commits, enforced foreign keys, and a writer that waits for the lock.
/// (No `mmap_size`: mapped reads saved a millisecond on a million-point read but every
/// page read counted in the server's resident memory, 355 MB under `make bench`.)
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
];

/// Opens (creating when missing) a SQLite file in WAL mode with durable commits.
async fn open_sqlite(url: &str) -> anyhow::Result<AnyPool> {
    let (path, url) = sqlite_file_and_url(url);
    if let Some(parent) = Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create the database folder {}", parent.display())
            })?;
        }
    }
    AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|connection, _| {
            Box::pin(async move {
                for pragma in SQLITE_PRAGMAS {
                    sqlx::Executor::execute(&mut *connection, pragma).await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .with_context(|| format!("cannot open the database {url}"))
}

/// The file a SQLite URL names, and the URL asking to create it when missing
/// (`mode=rwc`) unless the URL chose a mode itself.
fn sqlite_file_and_url(url: &str) -> (&str, String) {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let url = match query {
        Some(query) if query.contains("mode=") => url.to_owned(),
        Some(_) => format!("{url}&mode=rwc"),
        None => format!("{url}?mode=rwc"),
    };
    (path, url)
}

/// `url` with any password replaced, for error messages and logs.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{sqlite_file_and_url, without_password, Backend};

    #[test]
    fn database_urls_name_their_engine_or_are_refused() {
        assert_eq!(
            Backend::of_url("sqlite://data/t.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("sqlite::memory:").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::of_url("postgresql://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        let refused = Backend::of_url("mysql://u@h/db")
            .expect_err("mysql")
            .to_string();
        assert!(refused.contains("mysql://u@h/db"), "{refused}");
    }

    #[test]
    fn values_lists_number_postgres_parameters_in_row_order() {
        assert_eq!(Backend::Sqlite.values_list(2, 3), "(?, ?, ?), (?, ?, ?)");
        assert_eq!(Backend::Postgres.values_list(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(Backend::Postgres.values_list(1, 3), "($1, $2, $3)");
    }

    #[test]
    fn sqlite_files_are_created_unless_the_url_chose_a_mode() {
        assert_eq!(
            sqlite_file_and_url("sqlite://data/t.db"),
            ("data/t.db", "sqlite://data/t.db?mode=rwc".to_owned())
        );
        assert_eq!(
            sqlite_file_and_url("sqlite:t.db?cache=shared"),
            ("t.db", "sqlite:t.db?cache=shared&mode=rwc".to_owned())
        );
        assert_eq!(
            sqlite_file_and_url("sqlite:///abs/t.db?mode=ro"),
            ("/abs/t.db", "sqlite:///abs/t.db?mode=ro".to_owned())
        );
    }

    #[test]
    fn passwords_never_reach_an_error_message() {
        assert_eq!(
            without_password("postgres://tb:s3cret@db.internal:5432/tb"),
            "postgres://tb:***@db.internal:5432/tb"
        );
        assert_eq!(
            without_password("postgres://tb@db/tb"),
            "postgres://tb@db/tb"
        );
        assert_eq!(without_password("sqlite://data/t.db"), "sqlite://data/t.db");
    }
}
