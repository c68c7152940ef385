use crate::error::ApiError;
use trackboard_api::{NewProject, PROJECT_NAME_MAX_CHARS};

/// A project about to be created: its name is trimmed, non-empty, short enough and
/// free of control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDraft {
    pub name: String,
    pub description: String,
}

impl TryFrom<NewProject> for ProjectDraft {
    type Error = ApiError;

    fn try_from(project: NewProject) -> Result<Self, ApiError> {
        let name = project.name.trim();
        if name.is_empty() {
            return Err(ApiError::validation("name", "name must not be empty"));
        }
        if name.chars().count() > PROJECT_NAME_MAX_CHARS {
            return Err(ApiError::validation(
                "name",
                format!("name must be at most {PROJECT_NAME_MAX_CHARS} characters"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ApiError::validation(
                "name",
                "name must not contain control characters",
            ));
        }
        Ok(ProjectDraft {
            name: name.to_owned(),
            description: project.description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> Result<ProjectDraft, ApiError> {
        ProjectDraft::try_from(NewProject {
            name: name.to_owned(),
            description: String::new(),
        })
    }

    fn refused_field(result: Result<ProjectDraft, ApiError>) -> String {
        match result {
            Err(ApiError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn trims_the_name() {
        assert_eq!(draft("  Detection  ").expect("valid").name, "Detection");
    }

    #[test]
    fn refuses_blank_long_and_control_names() {
        assert_eq!(refused_field(draft("   ")), "name");
        assert_eq!(
            refused_field(draft(&"x".repeat(PROJECT_NAME_MAX_CHARS + 1))),
            "name"
        );
        assert_eq!(refused_field(draft("a\u{0}b")), "name");
        assert!(
            draft(&"é".repeat(PROJECT_NAME_MAX_CHARS)).is_ok(),
            "the limit counts characters, not bytes"
        );
    }
}
