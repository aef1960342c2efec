//! Errors cross every boundary (CLI, desktop) as a small, stable `code` plus a message written for the person who
//! has to act on it. Callers branch on the code, never on the message text.

use serde::Serialize;
use ts_rs::TS;

/// The stable error codes. The UI and scripts match on these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "ErrorCode.ts")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    /// The change needs an explicit confirmation from the user (e.g. awareness before detection).
    ConfirmationRequired,
    Conflict,
    GateBlocked,
    Storage,
    Io,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{message}")]
    NotFound { message: String },
    /// `field` names the record field at fault (JSON name), so a form can put the message next to it.
    #[error("{message}")]
    InvalidInput { field: Option<String>, message: String },
    #[error("{message}")]
    ConfirmationRequired { field: Option<String>, message: String },
    #[error("{message}")]
    Conflict { message: String },
    #[error("{message}")]
    GateBlocked { message: String, missing: Vec<String> },
    #[error("{message}")]
    Storage { message: String },
    #[error("{message}")]
    Io { message: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::ConfirmationRequired { .. } => ErrorCode::ConfirmationRequired,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::GateBlocked { .. } => ErrorCode::GateBlocked,
            Error::Storage { .. } => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } | Error::ConfirmationRequired { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidInput { field: Some(field.to_string()), message: message.into() }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput { field: None, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound { message: message.into() }
    }

    pub fn storage(message: impl Into<String>) -> Self {
        Error::Storage { message: message.into() }
    }

    /// The serialisable form handed to the UI and printed by the CLI with `--json`.
    pub fn to_api(&self) -> ApiError {
        ApiError {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
            missing: match self {
                Error::GateBlocked { missing, .. } => missing.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// What crosses the boundary: `{code, message}` plus the field at fault and, for gates, what is missing.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export_to = "ApiError.ts")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    pub missing: Vec<String>,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // Busy/locked after the busy timeout means another Firebreak is holding a long write.
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) {
                return Error::storage(
                    "The database is busy: another Firebreak window or command is writing. Nothing was changed; try again in a moment.",
                );
            }
        }
        Error::storage(format!("Database error: {e}. Nothing was changed."))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io { message: format!("File error: {e}") }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::invalid_input(format!("Malformed value: {e}"))
    }
}
