//! Query parameters and `api-version`, read as the service reads them: names without
//! regard to case (the .NET client writes `displayFilterOption=Active`), and the version
//! from the query or, failing that, the `Accept` header.

use axum::http::{HeaderMap, header};

use crate::errors::ServiceError;

#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(query: Option<&str>) -> Params {
        Params(
            url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Which versions a resource serves.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Versions {
    earliest: (u32, u32),
    latest: (u32, u32),
    /// Every PAT operation is `x-ms-preview`, so the service wants `-preview` there.
    preview_only: bool,
}

pub(crate) const PAT_API: Versions = Versions {
    earliest: (6, 1),
    latest: (7, 2),
    preview_only: true,
};

pub(crate) const DISCOVERY: Versions = Versions {
    earliest: (1, 0),
    latest: (7, 2),
    preview_only: false,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiVersion {
    pub(crate) text: String,
    major: u32,
    minor: u32,
    preview: bool,
    resource: Option<u32>,
}

impl ApiVersion {
    pub(crate) fn at_least(&self, major: u32, minor: u32) -> bool {
        (self.major, self.minor) >= (major, minor)
    }

    fn parse(text: &str) -> Option<ApiVersion> {
        let (number, stage) = match text.split_once('-') {
            Some((number, stage)) => (number, Some(stage)),
            None => (text, None),
        };
        let (major, minor) = number.split_once('.')?;
        let (major, minor) = (major.parse().ok()?, minor.parse().ok()?);
        let (preview, resource) = match stage {
            None => (false, None),
            Some(stage) => {
                let (name, resource) = match stage.split_once('.') {
                    Some((name, resource)) => (name, Some(resource.parse().ok()?)),
                    None => (stage, None),
                };
                if !name.eq_ignore_ascii_case("preview") {
                    return None;
                }
                (true, resource)
            }
        };
        Some(ApiVersion {
            text: text.to_owned(),
            major,
            minor,
            preview,
            resource,
        })
    }
}

/// The request's api-version, checked against what the resource serves.
pub(crate) fn api_version(
    method: &str,
    params: &Params,
    headers: &HeaderMap,
    versions: Versions,
) -> Result<ApiVersion, ServiceError> {
    let text = params
        .get("api-version")
        .map(str::to_owned)
        .or_else(|| from_accept(headers))
        .filter(|text| !text.trim().is_empty())
        .ok_or_else(|| ServiceError::version_not_specified(method))?;
    let text = text.trim();
    let version = ApiVersion::parse(text).ok_or_else(|| ServiceError::invalid_api_version(text))?;
    let number = (version.major, version.minor);
    if number > versions.latest {
        return Err(ServiceError::version_out_of_range(format!(
            "The requested REST API version of {text} is out of range for this server. The \
             latest REST API version this server supports is {}.{}.",
            versions.latest.0, versions.latest.1
        )));
    }
    if number < versions.earliest {
        return Err(ServiceError::version_out_of_range(format!(
            "The requested REST API version of {text} is not supported by this resource. The \
             earliest version it supports is {}.{}.",
            versions.earliest.0, versions.earliest.1
        )));
    }
    if versions.preview_only {
        if !version.preview {
            return Err(ServiceError::preview_flag_missing(text));
        }
        if version.resource.is_some_and(|resource| resource != 1) {
            return Err(ServiceError::version_out_of_range(format!(
                "The requested resource version of {text} is out of range. The latest resource \
                 version this resource supports is 1."
            )));
        }
    }
    Ok(version)
}

fn from_accept(headers: &HeaderMap) -> Option<String> {
    let accept = headers.get(header::ACCEPT)?.to_str().ok()?;
    accept.split([';', ',']).find_map(|part| {
        let (key, value) = part.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("api-version")
            .then(|| value.trim().to_owned())
    })
}

/// A boolean the way .NET binds it: `true`/`True`/`TRUE`.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn check(query: &str, versions: Versions) -> Result<ApiVersion, ServiceError> {
        api_version(
            "GET",
            &Params::parse(Some(query)),
            &HeaderMap::new(),
            versions,
        )
    }

    #[test]
    fn pat_api_takes_the_preview_versions_of_6_1_to_7_2() {
        for ok in [
            "api-version=6.1-preview",
            "api-version=7.1-preview.1",
            "API-VERSION=7.2-Preview.1",
        ] {
            assert!(check(ok, PAT_API).is_ok(), "{ok}");
        }
        for bad in [
            "api-version=7.1",
            "api-version=7.3-preview.1",
            "api-version=5.0-preview",
            "api-version=7.2-preview.2",
            "api-version=abc",
            "api-version=",
            "other=1",
        ] {
            assert!(check(bad, PAT_API).is_err(), "{bad}");
        }
    }

    #[test]
    fn discovery_takes_released_versions() {
        assert!(check("api-version=7.1", DISCOVERY).is_ok());
        assert!(check("api-version=7.2-preview.3", DISCOVERY).is_ok());
        assert!(check("api-version=8.0", DISCOVERY).is_err());
    }

    #[test]
    fn version_may_come_in_the_accept_header() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json; api-version=7.1-preview.1"),
        );
        let version = api_version("GET", &Params::default(), &headers, PAT_API).unwrap();
        assert_eq!(version.text, "7.1-preview.1");
        assert!(!version.at_least(7, 2));
    }

    #[test]
    fn parameter_names_ignore_case() {
        let params = Params::parse(Some("DisplayFilterOption=Revoked&%24top=5"));
        assert_eq!(params.get("displayFilterOption"), Some("Revoked"));
        assert_eq!(params.get("$top"), Some("5"));
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("yes"), None);
    }
}
