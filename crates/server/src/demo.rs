//! The demo project created on first start, so a new user sees a working dashboard.

use crate::domain::ProjectDraft;
use crate::storage::Storage;

/// Name of the demo project.
pub const DEMO_PROJECT_NAME: &str = "Demo: street-scene detection";

/// Creates the demo data when the database holds no project at all; returns whether it did.
pub async fn seed_if_empty(storage: &Storage) -> anyhow::Result<bool> {
    if storage.count_projects().await? > 0 {
        return Ok(false);
    }
    storage
        .create_project(&ProjectDraft {
            name: DEMO_PROJECT_NAME.to_owned(),
            description:
                "A generated example: a detector for cars and pedestrians, trained three ways."
                    .to_owned(),
        })
        .await?;
    Ok(true)
}
