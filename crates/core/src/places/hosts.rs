//! Which hosts are Azure DevOps', and the organization a URL names. The old
//! `ORG.visualstudio.com` hosts count as much as `dev.azure.com`.

/// What a URL on an Azure DevOps host says about the organization: `None` when the
/// host is not Azure DevOps', `Some(None)` when it is but names no organization (a
/// `.netrc` line for `dev.azure.com` serves every one).
pub(super) fn org_of(host: &str, path: &str) -> Option<Option<String>> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let first_segment = || {
        path.trim_start_matches('/')
            .split('/')
            .next()
            .filter(|s| !s.is_empty() && !s.starts_with('_'))
            .map(str::to_owned)
    };
    match host.as_str() {
        "dev.azure.com" | "pkgs.dev.azure.com" | "vssps.dev.azure.com" => Some(first_segment()),
        _ => {
            let org = host
                .strip_suffix(".pkgs.visualstudio.com")
                .or_else(|| host.strip_suffix(".visualstudio.com"))?;
            (!org.is_empty() && !org.contains('.')).then(|| Some(org.to_owned()))
        }
    }
}

/// Splits `//host/path`, `https://host/path` or `host` into host and path.
pub(super) fn split(url: &str) -> (&str, &str) {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))
        .unwrap_or(url);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, after)| after);
    match rest.find('/') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => (rest, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_hosts_name_their_organization() {
        let org = |url: &str| {
            let (host, path) = split(url);
            org_of(host, path)
        };
        let some = |s: &str| Some(Some(s.to_owned()));
        assert_eq!(
            org("//pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/"),
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
        assert_eq!(org("dev.azure.com"), Some(None));
        assert_eq!(org("//pkgs.dev.azure.com/_packaging/x"), Some(None));
        assert_eq!(org("//registry.npmjs.org/"), None);
        assert_eq!(org("https://evil.com/dev.azure.com/contoso"), None);
        assert_eq!(org("https://a.b.visualstudio.com"), None);
        assert_eq!(org("https://dev.azure.com.evil.com/contoso"), None);
    }
}
