//! What the Entra endpoints remember: authorization codes, device codes and refresh
//! tokens (each under the hash of its value, like PAT secrets), the settings tests can
//! change, and, for the canary tests only, every secret value issued.

use std::collections::HashMap;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use rand::Rng;
use uuid::Uuid;

use super::scopes::Scopes;
use crate::state::{TokenHash, hash_token};

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Sign-ins complete without a person.
    pub(crate) auto_approve: bool,
    /// The polling interval new device codes announce.
    pub(crate) device_interval_secs: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_approve: false,
            device_interval_secs: super::DEFAULT_DEVICE_INTERVAL_SECS,
        }
    }
}

/// Who signed in, for which app and scopes: what a code or device code stands for and
/// what tokens are issued for.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) user: Uuid,
    pub(crate) client_id: String,
    pub(crate) scopes: Scopes,
}

#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub(crate) grant: Grant,
    pub(crate) redirect_uri: String,
    /// The S256 PKCE challenge.
    pub(crate) challenge: String,
    pub(crate) nonce: Option<String>,
    pub(crate) expires: Timestamp,
    pub(crate) redeemed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeviceState {
    Pending,
    Approved,
    Declined,
    Redeemed,
}

#[derive(Debug, Clone)]
pub(crate) struct DeviceCode {
    /// The user is the one the tenant in the path picked when the code was asked for.
    pub(crate) grant: Grant,
    /// `ABCD-EFGH`.
    pub(crate) user_code: String,
    pub(crate) expires: Timestamp,
    pub(crate) interval_secs: u64,
    pub(crate) last_poll: Option<Timestamp>,
    pub(crate) polls: u32,
    pub(crate) state: DeviceState,
}

/// One refresh token. Each use spends it and issues its successor in the same family
/// (one sign-in's chain), so revoking or flagging a sign-in reaches all of them.
#[derive(Debug, Clone)]
pub(crate) struct RefreshToken {
    pub(crate) grant: Grant,
    pub(crate) family: usize,
    pub(crate) issued: Timestamp,
    pub(crate) spent: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Family {
    pub(crate) revoked_at: Option<Timestamp>,
    /// Set by the control API: the next refresh must be answered `interaction_required`
    /// (a policy now asks for multi-factor authentication). A new sign-in starts a new
    /// family without it.
    pub(crate) needs_interaction: bool,
}

/// Every secret value issued, in order (for `/_emulator/entra/issued`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Issued {
    pub(crate) access_tokens: Vec<String>,
    pub(crate) refresh_tokens: Vec<String>,
    pub(crate) authorization_codes: Vec<String>,
    pub(crate) device_codes: Vec<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Grants {
    pub(crate) settings: Settings,
    codes: HashMap<TokenHash, AuthCode>,
    devices: HashMap<TokenHash, DeviceCode>,
    refresh: HashMap<TokenHash, RefreshToken>,
    pub(crate) families: Vec<Family>,
    pub(crate) issued: Issued,
}

/// A random secret of `bytes` bytes, base64url without padding.
pub(crate) fn random_secret(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill(buffer.as_mut_slice());
    URL_SAFE_NO_PAD.encode(buffer)
}

/// Letters that cannot be mistaken for one another or spell much (RFC 8628 §6.1).
const USER_CODE_LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

fn user_code() -> String {
    let mut rng = rand::rng();
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        let letter = USER_CODE_LETTERS[rng.random_range(0..USER_CODE_LETTERS.len())];
        code.push(char::from(letter));
    }
    code
}

/// A user code as typed: case, spaces and dashes do not matter.
fn normalise_user_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

impl Grants {
    pub(crate) fn issue_code(
        &mut self,
        grant: Grant,
        redirect_uri: String,
        challenge: String,
        nonce: Option<String>,
        expires: Timestamp,
    ) -> String {
        let code = format!("1.{}", random_secret(96));
        self.codes.insert(
            hash_token(&code),
            AuthCode {
                grant,
                redirect_uri,
                challenge,
                nonce,
                expires,
                redeemed: false,
            },
        );
        self.issued.authorization_codes.push(code.clone());
        code
    }

    pub(crate) fn code_mut(&mut self, code: &str) -> Option<&mut AuthCode> {
        self.codes.get_mut(&hash_token(code))
    }

    /// A new device code and its user code (unique among those not yet redeemed).
    pub(crate) fn issue_device_code(
        &mut self,
        grant: Grant,
        expires: Timestamp,
        interval_secs: u64,
    ) -> (String, String) {
        let user_code = loop {
            let candidate = user_code();
            let taken = self.devices.values().any(|device| {
                device.state != DeviceState::Redeemed && device.user_code == candidate
            });
            if !taken {
                break candidate;
            }
        };
        let device_code = format!("DAQABIQEAAAB{}", random_secret(96));
        self.devices.insert(
            hash_token(&device_code),
            DeviceCode {
                grant,
                user_code: user_code.clone(),
                expires,
                interval_secs,
                last_poll: None,
                polls: 0,
                state: DeviceState::Pending,
            },
        );
        self.issued.device_codes.push(device_code.clone());
        (device_code, user_code)
    }

    pub(crate) fn device_mut(&mut self, device_code: &str) -> Option<&mut DeviceCode> {
        self.devices.get_mut(&hash_token(device_code))
    }

    /// The latest device code with this user code.
    pub(crate) fn device_by_user_code(&mut self, code: &str) -> Option<&mut DeviceCode> {
        let wanted = normalise_user_code(code);
        if wanted.is_empty() {
            return None;
        }
        self.devices
            .values_mut()
            .filter(|device| normalise_user_code(&device.user_code) == wanted)
            .max_by_key(|device| device.expires)
    }

    /// Issues a refresh token in `family` (a new family when `None`).
    pub(crate) fn issue_refresh_token(
        &mut self,
        grant: Grant,
        family: Option<usize>,
        now: Timestamp,
    ) -> String {
        let family = family.unwrap_or_else(|| {
            self.families.push(Family::default());
            self.families.len() - 1
        });
        let token = format!("1.{}", random_secret(240));
        self.refresh.insert(
            hash_token(&token),
            RefreshToken {
                grant,
                family,
                issued: now,
                spent: false,
            },
        );
        self.issued.refresh_tokens.push(token.clone());
        token
    }

    pub(crate) fn refresh_token_mut(&mut self, token: &str) -> Option<&mut RefreshToken> {
        self.refresh.get_mut(&hash_token(token))
    }

    /// The families whose tokens belong to one of `users` (all when `None`).
    pub(crate) fn families_of(&self, users: Option<&[Uuid]>) -> Vec<usize> {
        let mut families: Vec<usize> = self
            .refresh
            .values()
            .filter(|token| users.is_none_or(|users| users.contains(&token.grant.user)))
            .map(|token| token.family)
            .collect();
        families.sort_unstable();
        families.dedup();
        families
    }

    /// Refresh tokens neither spent nor revoked (an idle one may have expired).
    pub(crate) fn live_refresh_tokens(&self) -> usize {
        self.refresh
            .values()
            .filter(|token| {
                !token.spent
                    && self
                        .families
                        .get(token.family)
                        .is_some_and(|family| family.revoked_at.is_none())
            })
            .count()
    }

    pub(crate) fn pending_device_codes(&self, now: Timestamp) -> usize {
        self.devices
            .values()
            .filter(|device| device.state == DeviceState::Pending && device.expires > now)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            user: Uuid::from_u128(1),
            client_id: "c".into(),
            scopes: Scopes::default(),
        }
    }

    #[test]
    fn user_codes_look_like_entras_and_match_loosely() {
        let mut grants = Grants::default();
        let expires: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        let (device_code, user_code) = grants.issue_device_code(grant(), expires, 5);
        assert_eq!(user_code.len(), 9);
        assert_eq!(&user_code[4..5], "-");
        assert!(
            user_code
                .bytes()
                .filter(|b| *b != b'-')
                .all(|b| USER_CODE_LETTERS.contains(&b))
        );
        let typed = user_code.replace('-', " ").to_ascii_lowercase();
        assert!(grants.device_by_user_code(&typed).is_some());
        assert!(grants.device_by_user_code("").is_none());
        assert!(grants.device_mut(&device_code).is_some());
        assert_eq!(grants.issued.device_codes, vec![device_code]);
    }

    #[test]
    fn secrets_are_stored_by_hash_and_listed_as_issued() {
        let mut grants = Grants::default();
        let now: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
        let first = grants.issue_refresh_token(grant(), None, now);
        let second = grants.issue_refresh_token(grant(), Some(0), now);
        assert_ne!(first, second);
        assert_eq!(grants.families.len(), 1);
        assert_eq!(grants.refresh_token_mut(&second).unwrap().family, 0);
        assert!(grants.refresh_token_mut("other").is_none());
        assert_eq!(grants.issued.refresh_tokens, vec![first, second]);
        assert_eq!(grants.live_refresh_tokens(), 2);
        assert!(!grants.refresh.keys().any(|hash| hash.len() != 32));
    }
}
