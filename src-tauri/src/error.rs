//! Errors cross IPC as `{ code, message }`: the code is what the UI branches on (sign in,
//! retry later, fix a field), the message is what the user reads.

use adopat_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// For invalid input, the field at fault: `name`, `scopes`, `expires`, `org`.
    pub field: Option<String>,
}

impl From<adopat_core::Error> for IpcError {
    fn from(error: adopat_core::Error) -> Self {
        let code = error.code();
        match error {
            adopat_core::Error::Invalid { field, message } => Self {
                code,
                message: capitalized(&message),
                field: Some(form_field(field).to_owned()),
            },
            other => Self {
                code,
                message: other.to_string(),
                field: None,
            },
        }
    }
}

/// Core names the domain's fields; the create and edit form names two of them shorter.
fn form_field(field: &str) -> &str {
    match field {
        "organization" => "org",
        "expiry" => "expires",
        other => other,
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub type Result<T, E = IpcError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_names_the_form_field() {
        let error = IpcError::from(adopat_core::Error::invalid("scopes", "give one"));
        assert_eq!(error.code, ErrorCode::InvalidInput);
        assert_eq!(error.field.as_deref(), Some("scopes"));
        assert_eq!(error.message, "Give one");
        let error =
            IpcError::from(adopat_core::input::expiry("soon", jiff::Timestamp::now()).unwrap_err());
        assert_eq!(error.field.as_deref(), Some("expires"));
        assert!(
            !error.message.contains("--"),
            "no flag in the window: {}",
            error.message
        );
    }

    #[test]
    fn crosses_ipc_as_code_and_message() {
        let error = IpcError::from(adopat_core::Error::SignIn("Not signed in.".into()));
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "code": "signInRequired", "message": "Not signed in.", "field": null })
        );
    }
}
