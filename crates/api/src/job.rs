//! Live logging of an experiment's job: text lines in chapters, and the job's status.

use serde::{Deserialize, Serialize};

/// Where an experiment's job stands (seed 000 `update_job_status`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    #[default]
    Pending,
    Running,
    Success,
    Failed,
    Terminated,
}

impl JobStatus {
    /// Every status.
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Pending,
        JobStatus::Running,
        JobStatus::Success,
        JobStatus::Failed,
        JobStatus::Terminated,
    ];

    /// The wire (and storage) spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Success => "success",
            JobStatus::Failed => "failed",
            JobStatus::Terminated => "terminated",
        }
    }

    /// The status spelled `text`, if any.
    pub fn parse(text: &str) -> Option<JobStatus> {
        JobStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the job can still write lines (a page following it keeps polling).
    pub fn is_live(self) -> bool {
        matches!(self, JobStatus::Pending | JobStatus::Running)
    }
}

/// One line of the live log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobLogLine {
    /// 0, 1, 2… in the order received.
    pub line_number: u64,
    /// The chapter it belongs to (seed 000 `start_logging_chapter`); empty before any.
    pub chapter: String,
    pub text: String,
    pub created_at: String,
}

/// Body of `POST /api/v1/experiments/{id}/job/logs` (seed 000 `send_logging`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewJobLogLines {
    /// 1 to 10,000 lines of 1 to 10,000 characters (a string with line breaks is split).
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<crate::names::LogLine>, min_items = 1, max_items = 10_000)
    )]
    pub lines: Vec<String>,
    /// The chapter; absent: the chapter of the last line stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::names::Name200>))]
    pub chapter: Option<String>,
}

/// Answer of `GET /api/v1/experiments/{id}/job/logs?after=N`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobLog {
    pub status: JobStatus,
    /// Lines after the requested one, at most `limit`.
    pub lines: Vec<JobLogLine>,
    /// Ask for lines after this next time (`null` when there are none yet).
    pub last_line_number: Option<u64>,
    /// Chapters in order of their first line.
    pub chapters: Vec<String>,
}

/// Body of `PUT /api/v1/experiments/{id}/job/status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobStatusUpdate {
    pub status: JobStatus,
}
