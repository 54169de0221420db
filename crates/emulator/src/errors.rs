//! Failures the service answers with a non-200 status and its standard error body.
//!
//! Where the reference names the exception (`VssVersionNotSpecifiedException`,
//! `UnauthorizedRequestException`, `JsonReaderException`, TF400733) it is used as is;
//! the other type names are plausible .NET names chosen here, and the report says so.

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::wire::ErrorBody;

const WEBAPI: &str = "Microsoft.VisualStudio.Services.WebApi";
const FRAMEWORK: &str = "Microsoft.TeamFoundation.Framework.Server";

#[derive(Debug)]
pub(crate) struct ServiceError {
    status: StatusCode,
    message: String,
    type_name: String,
    type_key: &'static str,
    event_id: i32,
    headers: Vec<(HeaderName, String)>,
}

impl ServiceError {
    fn new(
        status: StatusCode,
        message: impl Into<String>,
        namespace: &str,
        assembly: &str,
        type_key: &'static str,
    ) -> ServiceError {
        ServiceError {
            status,
            message: message.into(),
            type_name: format!("{namespace}.{type_key}, {assembly}"),
            type_key,
            event_id: 3000,
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn version_not_specified(method: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "No api-version was supplied for the \"{method}\" request. The version must be \
                 supplied either as part of the Accept header (e.g. \"application/json; \
                 api-version=1.0\") or as a query parameter (e.g. '?api-version=1.0')."
            ),
            "Microsoft.VisualStudio.Services.WebApi",
            WEBAPI,
            "VssVersionNotSpecifiedException",
        )
    }

    pub(crate) fn preview_flag_missing(version: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "The requested version \"{version}\" of the resource is under preview. The \
                 -preview flag must be supplied in the api-version for such requests. For \
                 example: \"{version}-preview\""
            ),
            "Microsoft.VisualStudio.Services.WebApi",
            WEBAPI,
            "VssInvalidPreviewVersionException",
        )
    }

    pub(crate) fn version_out_of_range(message: String) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            message,
            "Microsoft.VisualStudio.Services.WebApi",
            WEBAPI,
            "VssVersionOutOfRangeException",
        )
    }

    pub(crate) fn invalid_api_version(version: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "The api-version '{version}' is not valid. It must look like \
                 {{Major}}.{{Minor}}[-{{Stage}}[.{{Resource}}]], for example '7.1-preview.1'."
            ),
            "Microsoft.VisualStudio.Services.WebApi",
            WEBAPI,
            "VssInvalidApiVersionException",
        )
    }

    /// TF400813, as the service answers a request it cannot attribute to a user who may
    /// see the resource. `user` is empty for an anonymous caller, as in the reference.
    pub(crate) fn unauthorized(user: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::UNAUTHORIZED,
            format!("TF400813: The user '{user}' is not authorized to access this resource."),
            FRAMEWORK,
            FRAMEWORK,
            "UnauthorizedRequestException",
        )
    }

    pub(crate) fn pat_rejected(message: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::UNAUTHORIZED,
            message,
            FRAMEWORK,
            FRAMEWORK,
            "UnauthorizedRequestException",
        )
    }

    pub(crate) fn organization_not_found(name: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::NOT_FOUND,
            format!(
                "The organization '{name}' could not be found. Verify the name of the \
                 organization and try again."
            ),
            "Microsoft.VisualStudio.Services.Account",
            WEBAPI,
            "AccountNotFoundException",
        )
    }

    pub(crate) fn pat_not_found(id: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::NOT_FOUND,
            format!("No personal access token with authorization id '{id}' was found."),
            "Microsoft.VisualStudio.Services.DelegatedAuthorization",
            WEBAPI,
            "SessionTokenNotFoundException",
        )
    }

    pub(crate) fn bad_argument(message: impl Into<String>) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            message,
            "System",
            "mscorlib",
            "ArgumentException",
        )
    }

    pub(crate) fn argument_missing(parameter: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::BAD_REQUEST,
            format!("Value cannot be null. (Parameter '{parameter}')"),
            "System",
            "mscorlib",
            "ArgumentNullException",
        )
    }

    pub(crate) fn unreadable_json(detail: &str) -> ServiceError {
        let mut error = ServiceError::new(
            StatusCode::BAD_REQUEST,
            format!("TF400898: An Internal Error Occurred. {detail}"),
            "Newtonsoft.Json",
            "Newtonsoft.Json",
            "JsonReaderException",
        );
        error.event_id = 0;
        error
    }

    pub(crate) fn resource_not_found(path: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::NOT_FOUND,
            format!("No API resource is registered at '{path}'."),
            "Microsoft.VisualStudio.Services.WebApi",
            WEBAPI,
            "VssResourceNotFoundException",
        )
    }

    pub(crate) fn method_not_allowed(method: &str) -> ServiceError {
        ServiceError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("The requested resource does not support http method '{method}'."),
            "Microsoft.VisualStudio.Services.Common",
            WEBAPI,
            "VssServiceException",
        )
    }

    pub(crate) fn request_blocked() -> ServiceError {
        ServiceError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TF400733: The request has been canceled: Request was blocked due to exceeding \
             usage of resource 'ATCPU' in namespace 'User'. For more information on why your \
             request was blocked, see the topic \"Rate limits\" on the Microsoft Web site \
             (https://go.microsoft.com/fwlink/?LinkId=823950).",
            FRAMEWORK,
            FRAMEWORK,
            "RequestBlockedException",
        )
    }

    /// The body of an injected failure when the test gives none.
    pub(crate) fn generic(status: StatusCode) -> ServiceError {
        let reason = status.canonical_reason().unwrap_or("Error");
        ServiceError::new(
            status,
            format!(
                "TF400898: An Internal Error Occurred. ({} {reason})",
                status.as_u16()
            ),
            "Microsoft.VisualStudio.Services.Common",
            WEBAPI,
            "VssServiceException",
        )
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            id: "1",
            inner_exception: None,
            message: self.message,
            type_name: self.type_name,
            type_key: self.type_key.to_owned(),
            error_code: 0,
            event_id: self.event_id,
        };
        let mut response = json_response(self.status, &body, None);
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}

/// A JSON response as the service writes it: its content type names the api-version
/// when the request had one.
pub(crate) fn json_response(
    status: StatusCode,
    body: &impl serde::Serialize,
    api_version: Option<&str>,
) -> Response {
    let content_type = match api_version {
        Some(version) => format!("application/json; charset=utf-8; api-version={version}"),
        None => "application/json; charset=utf-8".to_owned(),
    };
    let bytes = match serde_json::to_vec(body) {
        Ok(bytes) => bytes,
        // Our own types always serialise; this only guards against a future mistake.
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let mut response = (status, bytes).into_response();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}
