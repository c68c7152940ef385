use super::Storage;
use crate::domain::ProjectDraft;
use crate::extract::PageRequest;
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

impl Storage {
    /// One page of projects, by name then id (a stable order), and the total count.
    pub async fn list_projects(&self, page: PageRequest) -> sqlx::Result<(Vec<Project>, u64)> {
        let rows: Vec<ProjectRow> = sqlx::query_as(
            "SELECT id, name, description, created_at, updated_at FROM projects \
             ORDER BY name, id LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(page.limit))
        .bind(page.offset as i64)
        .fetch_all(&self.pool)
        .await?;
        let total = self.count_projects().await?;
        Ok((rows.into_iter().map(Project::from).collect(), total))
    }

    /// Creates a project; a taken name is a unique violation.
    pub async fn create_project(&self, draft: &ProjectDraft) -> sqlx::Result<Project> {
        let now = timestamp::now();
        let row: ProjectRow = sqlx::query_as(
            "INSERT INTO projects (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             RETURNING id, name, description, created_at, updated_at",
        )
        .bind(&draft.name)
        .bind(&draft.description)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.into())
    }

    /// How many projects exist.
    pub async fn count_projects(&self) -> sqlx::Result<u64> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM projects")
            .fetch_one(&self.pool)
            .await?;
        Ok(total as u64)
    }
}
