use super::checked_name;
use super::Refusal;
use trackboard_api::{NewProject, ProjectPatch, PROJECT_NAME_MAX_CHARS};

/// A project about to be created, its name checked by [`checked_name`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDraft {
    pub name: String,
    pub description: String,
}

impl TryFrom<NewProject> for ProjectDraft {
    type Error = Refusal;

    fn try_from(project: NewProject) -> Result<Self, Refusal> {
        Ok(ProjectDraft {
            name: checked_name("name", &project.name, PROJECT_NAME_MAX_CHARS)?,
            description: project.description,
        })
    }
}

/// A checked `PATCH` of a project: `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectChanges {
    pub name: Option<String>,
    pub description: Option<String>,
}

impl TryFrom<ProjectPatch> for ProjectChanges {
    type Error = Refusal;

    fn try_from(patch: ProjectPatch) -> Result<Self, Refusal> {
        Ok(ProjectChanges {
            name: patch
                .name
                .map(|name| checked_name("name", &name, PROJECT_NAME_MAX_CHARS))
                .transpose()?,
            description: patch.description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str) -> Result<ProjectDraft, Refusal> {
        ProjectDraft::try_from(NewProject {
            name: name.to_owned(),
            description: String::new(),
        })
    }

    fn refused_field(result: Result<ProjectDraft, Refusal>) -> String {
        match result {
            Err(Refusal {
                field,
                kind: crate::domain::RefusalKind::Invalid,
                ..
            }) => field,
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
