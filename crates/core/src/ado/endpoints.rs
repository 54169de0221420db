//! Where the three Microsoft hosts are. Tests and `--demo` point all three at the
//! emulator; anything but loopback must be HTTPS so a bearer token never crosses a
//! network in clear text.

use crate::error::{Error, Result};
use url::{Host, Url};

pub const VSSPS_ENV: &str = "ADOPAT_VSSPS_URL";
pub const APP_VSSPS_ENV: &str = "ADOPAT_APP_VSSPS_URL";
pub const LOGIN_ENV: &str = "ADOPAT_LOGIN_URL";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Base of the PAT API: `{vssps}/{org}/_apis/tokens/pats`.
    pub vssps: Url,
    /// Base of profile and accounts (organization discovery).
    pub app_vssps: Url,
    /// Entra authority host.
    pub login: Url,
}

impl Endpoints {
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let pick = |name: &'static str, default: &str| {
            let value = lookup(name).filter(|v| !v.trim().is_empty());
            parse_base(name, value.as_deref().unwrap_or(default))
        };
        Ok(Self {
            vssps: pick(VSSPS_ENV, "https://vssps.dev.azure.com")?,
            app_vssps: pick(APP_VSSPS_ENV, "https://app.vssps.visualstudio.com")?,
            login: pick(LOGIN_ENV, "https://login.microsoftonline.com")?,
        })
    }

    /// All three hosts served by one base URL, as the emulator does.
    pub fn single(base: &str) -> Result<Self> {
        let url = parse_base("base URL", base)?;
        Ok(Self {
            vssps: url.clone(),
            app_vssps: url.clone(),
            login: url,
        })
    }
}

fn parse_base(name: &'static str, value: &str) -> Result<Url> {
    let mut url = Url::parse(value.trim())
        .map_err(|e| Error::invalid(name, format!("'{value}' is not a URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::invalid(
                name,
                format!(
                    "'{value}' uses plain http; only https is allowed, except for a loopback host such as 127.0.0.1"
                ),
            ));
        }
        other => {
            return Err(Error::invalid(
                name,
                format!("'{value}' has the scheme '{other}'; use https"),
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(
            name,
            format!("'{value}' must be a base URL without a query or fragment"),
        ));
    }
    // Joining relative paths needs exactly one trailing slash.
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(vars: &[(&str, &str)]) -> Result<Endpoints> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Endpoints::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_are_the_microsoft_hosts() {
        let e = with(&[]).unwrap();
        assert_eq!(e.vssps.as_str(), "https://vssps.dev.azure.com/");
        assert_eq!(e.app_vssps.as_str(), "https://app.vssps.visualstudio.com/");
        assert_eq!(e.login.as_str(), "https://login.microsoftonline.com/");
    }

    #[test]
    fn plain_http_is_allowed_only_for_loopback() {
        assert!(with(&[(VSSPS_ENV, "http://127.0.0.1:8080")]).is_ok());
        assert!(with(&[(VSSPS_ENV, "http://localhost:8080")]).is_ok());
        assert!(with(&[(VSSPS_ENV, "http://[::1]:8080")]).is_ok());
        let err = with(&[(VSSPS_ENV, "http://example.com")]).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains(VSSPS_ENV), "{err}");
        assert!(err.to_string().contains("https"), "{err}");
    }

    #[test]
    fn garbage_names_the_variable() {
        let err = with(&[(APP_VSSPS_ENV, "not a url")]).unwrap_err();
        assert!(err.to_string().starts_with(APP_VSSPS_ENV), "{err}");
        let err = with(&[(LOGIN_ENV, "ftp://127.0.0.1")]).unwrap_err();
        assert!(err.to_string().contains("ftp"), "{err}");
    }

    #[test]
    fn a_path_prefix_is_kept_for_joining() {
        let e = with(&[(VSSPS_ENV, "https://proxy.example.com/ado")]).unwrap();
        assert_eq!(
            e.vssps.join("contoso/_apis").unwrap().as_str(),
            "https://proxy.example.com/ado/contoso/_apis"
        );
    }
}
