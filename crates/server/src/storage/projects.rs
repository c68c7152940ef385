use super::page::Listing;
use super::{Constraints, Storage, StoreResult};
use crate::domain::{ProjectChanges, ProjectDraft};
use crate::listing::{Ordered, PageRequest, Sortable, SqlOrder};
use crate::timestamp;
use sqlx::FromRow;
use trackboard_api::Project;

#[derive(FromRow)]
struct ProjectRow {
    id: i64,
    name: String,
    description: String,
    created_at: String,
    updated_at: String,
}

impl From<ProjectRow> for Project {
    fn from(row: ProjectRow) -> Self {
        Project {
            id: row.id,
            name: row.name,
            description: row.description,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What `GET /projects?order_by=` accepts.
impl Ordered for Project {
    const ORDER: Sortable = Sortable {
        columns: &[
            ("name", "name"),
            ("created", "created_at"),
            ("updated", "updated_at"),
        ],
        default: "name",
        tie: "id",
    };
}

fn name_taken(name: &str) -> String {
    format!("a project named {name:?} already exists")
}

impl Storage {
    /// One page of projects, by name then id (a stable order), and the total count.
    pub async fn list_projects(
        &self,
        page: PageRequest,
        order: &SqlOrder,
    ) -> StoreResult<(Vec<Project>, u64)> {
        let listing = Listing {
            columns: "id, name, description, created_at, updated_at",
            from: "projects",
            parent: None,
        };
        let (rows, total) = self.fetch_page::<ProjectRow>(listing, page, order).await?;
        Ok((rows.into_iter().map(Project::from).collect(), total))
    }

    /// Creates a project; a taken name is a conflict on `name`.
    pub async fn create_project(&self, draft: &ProjectDraft) -> StoreResult<Project> {
        let now = timestamp::now();
        let row: ProjectRow = sqlx::query_as(
            "INSERT INTO projects (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             RETURNING id, name, description, created_at, updated_at",
        )
        .bind(&draft.name)
        .bind(&draft.description)
        .bind(&now)
        .fetch_one(&self.pool)
        .await
        .unique_means("name", || name_taken(&draft.name))?;
        Ok(row.into())
    }

    /// How many projects exist.
    pub async fn count_projects(&self) -> StoreResult<u64> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
            .fetch_one(&self.pool)
            .await?;
        Ok(total as u64)
    }
}

impl Storage {
    /// Every project, oldest first (MLflow's experiment search filters them).
    pub async fn all_projects(&self) -> StoreResult<Vec<Project>> {
        let rows: Vec<ProjectRow> = sqlx::query_as(
            "SELECT id, name, description, created_at, updated_at FROM projects ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Project::from).collect())
    }

    /// The project with exactly this name, if any.
    pub async fn project_named(&self, name: &str) -> StoreResult<Option<Project>> {
        let row: Option<ProjectRow> = sqlx::query_as(
            "SELECT id, name, description, created_at, updated_at FROM projects WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Project::from))
    }

    /// The project with this id, if any.
    pub async fn get_project(&self, id: i64) -> StoreResult<Option<Project>> {
        let row: Option<ProjectRow> = sqlx::query_as(
            "SELECT id, name, description, created_at, updated_at FROM projects WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Project::from))
    }

    /// Applies `changes`; `None` when there is no such project. A taken name is a conflict.
    pub async fn update_project(
        &self,
        id: i64,
        changes: &ProjectChanges,
    ) -> StoreResult<Option<Project>> {
        let row: Option<ProjectRow> = sqlx::query_as(
            "UPDATE projects SET name = COALESCE($1, name), description = COALESCE($2, description), \
             updated_at = $3 WHERE id = $4 \
             RETURNING id, name, description, created_at, updated_at",
        )
        .bind(&changes.name)
        .bind(&changes.description)
        .bind(timestamp::now())
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .unique_means("name", || {
            name_taken(changes.name.as_deref().unwrap_or_default())
        })?;
        Ok(row.map(Project::from))
    }

    /// Deletes the project and, by cascade, its experiments; whether it existed.
    pub async fn delete_project(&self, id: i64) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM projects WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
