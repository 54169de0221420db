//! Tokens shaped like Entra's JWTs: `base64url(header).base64url(payload).base64url(sig)`
//! with the header `{"typ":"JWT","alg":"RS256","kid":"emulator"}`.
//!
//! The signature is random bytes of an RS256 signature's length, not a signature: there
//! is no key to check it with. Clients in tests do not verify it (an id token that comes
//! straight from the authority over its own connection needs no check, and access tokens
//! are opaque to clients), and the emulator recognises its access tokens by their hash in
//! the store, never by their claims.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use rand::Rng;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::AZURE_DEVOPS;
use crate::state::User;

/// The size of an RS256 signature made with a 2048-bit key.
const SIGNATURE_BYTES: usize = 256;

pub(crate) fn encode(claims: &Value) -> String {
    let header = json!({ "typ": "JWT", "alg": "RS256", "kid": "emulator" });
    let mut signature = [0u8; SIGNATURE_BYTES];
    rand::rng().fill(&mut signature[..]);
    format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string()),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// Entra's `sub` is pairwise: the same user has a different one in each application.
fn pairwise_subject(user: &User, client_id: &str) -> String {
    let digest = Sha256::digest(format!("{}:{}", user.id, client_id.to_ascii_lowercase()));
    URL_SAFE_NO_PAD.encode(digest)
}

/// The v2.0 id token for `client_id`, valid for an hour.
pub(crate) fn id_token(
    base: &str,
    user: &User,
    client_id: &str,
    nonce: Option<&str>,
    with_email: bool,
    now: Timestamp,
) -> String {
    let iat = now.as_second();
    let mut claims = json!({
        "aud": client_id,
        "iss": format!("{base}/{}/v2.0", user.tenant),
        "iat": iat,
        "nbf": iat,
        "exp": iat + 3600,
        "name": user.display_name,
        "oid": user.id,
        "preferred_username": user.email,
        "sub": pairwise_subject(user, client_id),
        "tid": user.tenant,
        "ver": "2.0",
    });
    if let Some(object) = claims.as_object_mut() {
        if let Some(nonce) = nonce {
            object.insert("nonce".into(), json!(nonce));
        }
        if with_email {
            object.insert("email".into(), json!(user.email));
        }
    }
    encode(&claims)
}

/// An access token for Azure DevOps as Entra issues it for that resource (v1.0 claims).
pub(crate) fn access_token(
    base: &str,
    user: &User,
    client_id: &str,
    scp: &str,
    now: Timestamp,
    expires: Timestamp,
) -> String {
    let iat = now.as_second();
    let claims = json!({
        "aud": AZURE_DEVOPS,
        "iss": format!("{base}/{}/", user.tenant),
        "iat": iat,
        "nbf": iat,
        "exp": expires.as_second(),
        "appid": client_id,
        "appidacr": "0",
        "name": user.display_name,
        "oid": user.id,
        "scp": scp,
        "sub": pairwise_subject(user, client_id),
        "tid": user.tenant,
        "unique_name": user.email,
        "upn": user.email,
        "uti": URL_SAFE_NO_PAD.encode(Uuid::new_v4().as_bytes()),
        "ver": "1.0",
    });
    encode(&claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            id: Uuid::from_u128(5),
            tenant: Uuid::from_u128(6),
            display_name: "Ann".into(),
            email: "ann@contoso.com".into(),
            orgs: vec![],
            profile_time: Timestamp::UNIX_EPOCH,
        }
    }

    fn part(token: &str, index: usize) -> Value {
        let segment = token.split('.').nth(index).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
    }

    #[test]
    fn id_tokens_carry_the_claims_clients_read() {
        let now: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        let token = id_token("http://h", &user(), "cid", Some("n1"), false, now);
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(
            part(&token, 0),
            json!({ "typ": "JWT", "alg": "RS256", "kid": "emulator" })
        );
        let claims = part(&token, 1);
        assert_eq!(claims["aud"], "cid");
        assert_eq!(
            claims["iss"],
            "http://h/00000000-0000-0000-0000-000000000006/v2.0"
        );
        assert_eq!(claims["tid"], "00000000-0000-0000-0000-000000000006");
        assert_eq!(claims["oid"], "00000000-0000-0000-0000-000000000005");
        assert_eq!(claims["preferred_username"], "ann@contoso.com");
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            3600
        );
        assert_eq!(claims["nonce"], "n1");
        assert!(claims.get("email").is_none());
        let other = id_token("http://h", &user(), "other", None, true, now);
        assert_ne!(part(&other, 1)["sub"], claims["sub"], "pairwise");
        assert_eq!(part(&other, 1)["email"], "ann@contoso.com");
    }

    #[test]
    fn access_tokens_are_unique_even_in_the_same_second() {
        let now: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        let a = access_token("http://h", &user(), "c", "user_impersonation", now, now);
        let b = access_token("http://h", &user(), "c", "user_impersonation", now, now);
        assert_ne!(a, b);
        assert_eq!(part(&a, 1)["aud"], AZURE_DEVOPS);
    }
}
