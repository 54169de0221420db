//! Which URLs are Azure DevOps', read as their clients read them: the host is the URL's
//! own (WHATWG rules, as npm, pip, NuGet and Maven parse it), never a word from its path,
//! query or user part, and only `https` counts, since that is where a client sends the
//! credential with the URL. The old `ORG.visualstudio.com` hosts count as much as
//! `dev.azure.com`.

use url::Url;

/// An Azure DevOps URL: its host, and the organization it names (`None` when it names
/// none: a `.netrc` line for `dev.azure.com` serves every one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Azure {
    pub host: String,
    pub org: Option<String>,
}

/// `url` (`https://…`) when it is Azure DevOps'.
pub(super) fn azure_url(url: &str) -> Option<Azure> {
    let parsed = Url::parse(url.trim()).ok()?;
    if parsed.scheme() != "https" || parsed.port().is_some() {
        return None;
    }
    let host = match parsed.host()? {
        url::Host::Domain(domain) => domain.to_owned(),
        _ => return None,
    };
    let first_segment = parsed.path_segments().and_then(|mut s| s.next());
    azure_host(&host, first_segment)
}

/// npm's registry key `//host/path/`: npm sends the credential to the registry whose URL,
/// without its scheme, is this.
pub(super) fn azure_registry_key(key: &str) -> Option<Azure> {
    if !key.starts_with("//") {
        return None;
    }
    azure_url(&format!("https:{key}"))
}

/// A `.netrc` machine name, which curl matches against the host alone.
pub(super) fn azure_machine(host: &str) -> Option<Azure> {
    azure_host(&host.to_ascii_lowercase(), None)
}

fn azure_host(host: &str, first_segment: Option<&str>) -> Option<Azure> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let named = |segment: Option<&str>| {
        segment
            .filter(|s| !s.is_empty() && !s.starts_with('_'))
            .map(str::to_owned)
    };
    let org = match host.as_str() {
        "dev.azure.com" | "pkgs.dev.azure.com" | "vssps.dev.azure.com" => named(first_segment),
        _ => {
            let org = host
                .strip_suffix(".pkgs.visualstudio.com")
                .or_else(|| host.strip_suffix(".visualstudio.com"))?;
            if org.is_empty() || org.contains('.') {
                return None;
            }
            Some(org.to_owned())
        }
    };
    Some(Azure { host, org })
}

/// Whether a place on `host` is a package feed rather than git.
pub(super) fn is_feed_host(host: &str) -> bool {
    host == "pkgs.dev.azure.com" || host.ends_with(".pkgs.visualstudio.com")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(url: &str) -> Option<Option<String>> {
        azure_url(url).map(|a| a.org)
    }

    fn some(s: &str) -> Option<Option<String>> {
        Some(Some(s.to_owned()))
    }

    #[test]
    fn azure_hosts_name_their_organization() {
        assert_eq!(
            azure_registry_key("//pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/")
                .map(|a| a.org),
            some("contoso")
        );
        assert_eq!(
            org("https://pkgs.dev.azure.com/contoso/web/_packaging/feed/pypi/simple/"),
            some("contoso")
        );
        assert_eq!(
            org("https://fabrikam.pkgs.visualstudio.com/_packaging/f/nuget/v3/index.json"),
            some("fabrikam")
        );
        assert_eq!(org("https://Fabrikam.VisualStudio.com"), some("fabrikam"));
        assert_eq!(azure_machine("dev.azure.com").map(|a| a.org), Some(None));
        assert_eq!(org("https://pkgs.dev.azure.com/_packaging/x"), Some(None));
        assert_eq!(org("https://pkgs.dev.azure.com./contoso/"), some("contoso"));
    }

    #[test]
    fn the_host_is_the_url_s_own_and_nothing_from_its_path() {
        for url in [
            "https://registry.npmjs.org/",
            "https://evil.com/dev.azure.com/contoso",
            "https://a.b.visualstudio.com",
            "https://dev.azure.com.evil.com/contoso",
            "https://evil.example/x@pkgs.dev.azure.com/contoso/_packaging/f/npm/registry/",
            "https://evil.example/x#@pkgs.dev.azure.com/contoso/_packaging/f/",
            "https://evil.example/x?@pkgs.dev.azure.com/contoso/_packaging/f/",
            "https://evil.example\\@pkgs.dev.azure.com/contoso/_packaging/f/",
            "https://evil.example\\x@pkgs.dev.azure.com/contoso/_packaging/f/",
            "https://pkgs.dev.azure.com:8443/contoso/_packaging/f/",
            "https://xn--pkgs-dev-azure-com.evil/contoso/",
            "http://pkgs.dev.azure.com/contoso/_packaging/f/nuget/v3/index.json",
            "ftp://pkgs.dev.azure.com/contoso/",
            "pkgs.dev.azure.com/contoso/_packaging/f/",
            "C:\\feeds\\local",
        ] {
            assert_eq!(org(url), None, "{url}");
        }
        for key in [
            "//evil.example/x@pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/",
            "//evil.example/x#@pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/",
            "//evil.example\\@pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/",
            "pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/",
        ] {
            assert_eq!(azure_registry_key(key), None, "{key}");
        }
        // The user part is not the host: the credential goes to pkgs.dev.azure.com.
        assert_eq!(
            azure_url("https://evil.example:x@pkgs.dev.azure.com/contoso/_packaging/f/")
                .map(|a| a.host),
            Some("pkgs.dev.azure.com".into())
        );
    }
}
