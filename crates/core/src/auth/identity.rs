//! Who signed in, read from the id token's claims.
//!
//! The id token arrives over TLS straight from the authority in answer to our own
//! request, so its claims are read without checking its signature: AdoPat uses them to
//! name the account, never to grant access.

use crate::error::{Error, Result};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    pub tenant: String,
    pub object_id: String,
    pub username: String,
    pub display_name: String,
}

impl Identity {
    /// `<tenant>/<object id>`: stable across renames, and the keyring entry's name.
    pub fn account_id(&self) -> String {
        format!("{}/{}", self.tenant, self.object_id)
    }

    pub fn from_id_token(id_token: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct Claims {
            tid: String,
            oid: String,
            #[serde(default)]
            preferred_username: Option<String>,
            #[serde(default)]
            name: Option<String>,
        }
        let bad = |why: &str| {
            Error::SignIn(format!(
                "The sign-in answer could not be read ({why}). Try again."
            ))
        };
        let payload = id_token
            .split('.')
            .nth(1)
            .ok_or_else(|| bad("no id token payload"))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| bad("id token is not base64url"))?;
        let claims: Claims = serde_json::from_slice(&bytes).map_err(|_| bad("id token claims"))?;
        let username = claims.preferred_username.unwrap_or_default();
        Ok(Self {
            display_name: claims.name.unwrap_or_else(|| username.clone()),
            username,
            tenant: claims.tid,
            object_id: claims.oid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_claims_that_name_an_account() {
        let payload = URL_SAFE_NO_PAD.encode(
            br#"{"tid":"t1","oid":"o1","preferred_username":"jamie@contoso.com","name":"Jamie Rivera","aud":"x"}"#,
        );
        let identity = Identity::from_id_token(&format!("e30.{payload}.c2ln")).unwrap();
        assert_eq!(identity.account_id(), "t1/o1");
        assert_eq!(identity.username, "jamie@contoso.com");
        assert_eq!(identity.display_name, "Jamie Rivera");
    }

    #[test]
    fn garbage_is_a_sign_in_error() {
        for token in ["", "abc", "a.!!!.c", "a.e30.c"] {
            assert_eq!(
                Identity::from_id_token(token).unwrap_err().exit_code(),
                3,
                "{token}"
            );
        }
    }
}
