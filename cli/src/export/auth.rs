//! Service-account auth for real BigQuery: the key file named by
//! `GOOGLE_APPLICATION_CREDENTIALS` is exchanged for an OAuth access token
//! (a JWT signed with the account's key, RFC 7523 `jwt-bearer` grant, at the
//! key's `token_uri`). The token is cached and exchanged again when it has
//! less than five minutes left.
//!
//! Neither the key nor a token ever reaches a message: errors name the file
//! and the field, and the token endpoint's own error code and description.

use anyhow::{anyhow, bail, Context, Result};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The environment variable naming the key file.
pub const CREDENTIALS_ENV: &str = "GOOGLE_APPLICATION_CREDENTIALS";
pub const BIGQUERY_SCOPE: &str = "https://www.googleapis.com/auth/bigquery";
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
/// A token with less than this left is exchanged again before use.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);
/// Lifetime asked for in the JWT (Google's maximum).
const ASSERTION_LIFETIME_SECS: u64 = 3600;

/// A string that never prints (keys, tokens).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: Option<String>,
    private_key: Option<String>,
    private_key_id: Option<String>,
    token_uri: Option<String>,
}

pub struct ServiceAccount {
    pub client_email: String,
    pub token_uri: String,
    key_id: Option<String>,
    key: EncodingKey,
}

impl fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("client_email", &self.client_email)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

impl ServiceAccount {
    /// Reads and checks a key file. Errors name the file and the problem,
    /// never the contents.
    pub fn from_file(path: &Path) -> Result<ServiceAccount> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("cannot read the credentials file {shown} ({CREDENTIALS_ENV})")
        })?;
        let k: KeyFile = serde_json::from_str(&text).map_err(|e| {
            anyhow!(
                "credentials file {shown} is not a service-account key (JSON error at line {}, \
                 column {})",
                e.line(),
                e.column()
            )
        })?;
        match k.kind.as_deref() {
            Some("service_account") => {}
            Some(other) => bail!(
                "credentials file {shown} has type {other:?}; clv export needs a service-account \
                 key (type \"service_account\")"
            ),
            None => bail!("credentials file {shown} has no \"type\": not a service-account key"),
        }
        let client_email = k
            .client_email
            .filter(|s| !s.is_empty())
            .ok_or_else(|| anyhow!("credentials file {shown} has no \"client_email\""))?;
        let pem = k
            .private_key
            .filter(|s| !s.is_empty())
            .ok_or_else(|| anyhow!("credentials file {shown} has no \"private_key\""))?;
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| {
            anyhow!("credentials file {shown}: \"private_key\" is not a PEM RSA private key")
        })?;
        Ok(ServiceAccount {
            client_email,
            token_uri: k.token_uri.unwrap_or_else(|| DEFAULT_TOKEN_URI.to_string()),
            key_id: k.private_key_id,
            key,
        })
    }

    /// The signed JWT asking for a token with `scope`.
    fn assertion(&self, scope: &str) -> Result<Secret> {
        #[derive(Serialize)]
        struct Claims<'a> {
            iss: &'a str,
            scope: &'a str,
            aud: &'a str,
            iat: u64,
            exp: u64,
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let mut header = Header::new(Algorithm::RS256);
        header.kid = self.key_id.clone();
        let claims = Claims {
            iss: &self.client_email,
            scope,
            aud: &self.token_uri,
            iat: now,
            exp: now + ASSERTION_LIFETIME_SECS,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map(Secret)
            .map_err(|e| {
                anyhow!(
                    "cannot sign the token request for {}: {e}",
                    self.client_email
                )
            })
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    expires_in: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Access tokens for one service account, cached until near expiry.
pub struct TokenSource {
    account: ServiceAccount,
    path: PathBuf,
    http: reqwest::Client,
    cached: Mutex<Option<(Secret, Instant)>>,
    /// Token exchanges made, for the summary and tests.
    exchanges: std::sync::atomic::AtomicU32,
}

impl TokenSource {
    pub fn new(path: &Path, http: reqwest::Client) -> Result<TokenSource> {
        Ok(TokenSource {
            account: ServiceAccount::from_file(path)?,
            path: path.to_path_buf(),
            http,
            cached: Mutex::new(None),
            exchanges: Default::default(),
        })
    }

    pub fn account(&self) -> &str {
        &self.account.client_email
    }

    pub fn exchanges(&self) -> u32 {
        self.exchanges.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A token valid for at least `REFRESH_MARGIN` (exchanged when needed).
    pub async fn token(&self) -> Result<Secret> {
        let mut cached = self.cached.lock().await;
        if let Some((t, expires)) = cached.as_ref() {
            if Instant::now() + REFRESH_MARGIN < *expires {
                return Ok(t.clone());
            }
        }
        let (t, expires) = self.exchange().await?;
        *cached = Some((t.clone(), expires));
        Ok(t)
    }

    /// Forgets the cached token (after a 401).
    pub async fn invalidate(&self) {
        *self.cached.lock().await = None;
    }

    async fn exchange(&self) -> Result<(Secret, Instant)> {
        self.exchanges
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let who = format!(
            "service account {} (key file {})",
            self.account.client_email,
            self.path.display()
        );
        // Transient failures of the token endpoint are retried a few times
        // (a fresh assertion each time).
        let policy = super::retry::RetryPolicy {
            max_retries: 4,
            ..Default::default()
        };
        let mut retry = 0;
        let (resp, started) = loop {
            let assertion = self.account.assertion(BIGQUERY_SCOPE)?;
            let started = Instant::now();
            let sent = self
                .http
                .post(&self.account.token_uri)
                .timeout(Duration::from_secs(30))
                .form(&[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    ("assertion", assertion.expose()),
                ])
                .send()
                .await;
            let transient = match &sent {
                Ok(r) => super::retry::retryable_status(r.status().as_u16(), ""),
                Err(e) => super::retry::retryable_transport(e),
            };
            if transient && retry < policy.max_retries {
                tokio::time::sleep(policy.delay(retry)).await;
                retry += 1;
                continue;
            }
            let resp = sent.map_err(|e| {
                anyhow!(
                    "cannot reach the token endpoint {} for {who}: {}",
                    self.account.token_uri,
                    e.without_url()
                )
            })?;
            break (resp, started);
        };
        let status = resp.status();
        let body: TokenResponse = resp.json().await.unwrap_or(TokenResponse {
            access_token: None,
            expires_in: None,
            error: None,
            error_description: None,
        });
        match (status.is_success(), body.access_token) {
            (true, Some(t)) if !t.is_empty() => {
                let life = Duration::from_secs(body.expires_in.unwrap_or(3600));
                Ok((Secret(t), started + life))
            }
            _ => bail!(
                "token exchange for {who} failed ({status}): {}{}",
                body.error
                    .as_deref()
                    .unwrap_or("no access_token in the answer"),
                body.error_description
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn bad_key_files_are_named_without_their_contents() {
        let dir = tempfile::tempdir().unwrap();
        let e = ServiceAccount::from_file(&dir.path().join("missing.json")).unwrap_err();
        assert!(format!("{e:#}").contains("cannot read the credentials file"));
        let p = write(dir.path(), "a.json", "{ not json SECRETSTUFF");
        let e = format!("{:#}", ServiceAccount::from_file(&p).unwrap_err());
        assert!(
            e.contains("not a service-account key") && !e.contains("SECRETSTUFF"),
            "{e}"
        );
        let p = write(dir.path(), "b.json", r#"{"type":"authorized_user"}"#);
        assert!(format!("{:#}", ServiceAccount::from_file(&p).unwrap_err())
            .contains("\"authorized_user\""));
        let p = write(
            dir.path(),
            "c.json",
            r#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nSECRETSTUFF\n-----END PRIVATE KEY-----\n"}"#,
        );
        let e = format!("{:#}", ServiceAccount::from_file(&p).unwrap_err());
        assert!(
            e.contains("not a PEM RSA private key") && !e.contains("SECRETSTUFF"),
            "{e}"
        );
    }

    #[test]
    fn secrets_do_not_debug_print() {
        assert_eq!(format!("{:?}", Secret("tok".into())), "Secret(***)");
    }
}
