//! Who is asking, and may they: users and roles from the configuration, `/api/token` with the
//! password and refresh grants (rotating refresh tokens, expiry), Bearer and Basic
//! authentication, and the `{Entity}-{Action}` role each route needs.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::Deserialize;

/// The role that may do everything.
pub const ADMINISTRATOR: &str = "Administrator";

/// A user who may call the API.
#[derive(Clone, Deserialize)]
pub struct User {
    /// The login, an e-mail address in Nexudus.
    pub username: String,
    /// The password.
    pub password: String,
    /// Roles such as `EmailAccount-List`, `EmailAccount-Read`, `EmailAccount-Create`,
    /// `EmailAccount-Edit`, `EmailAccount-Delete`, or `Administrator` for all of them.
    #[serde(default)]
    pub roles: Vec<String>,
}

// By hand: the password must never be printed.
impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("roles", &self.roles)
            .finish()
    }
}

/// The users file: `[[users]]` tables of `username`, `password` and `roles`.
#[derive(Debug, Deserialize)]
pub struct UsersFile {
    /// The users.
    pub users: Vec<User>,
}

impl UsersFile {
    /// Reads a users file (TOML).
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }
}

/// What a route does, for the role it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    List,
    Read,
    Create,
    Edit,
    Delete,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::List => "List",
            Action::Read => "Read",
            Action::Create => "Create",
            Action::Edit => "Edit",
            Action::Delete => "Delete",
        }
    }
}

/// Why a request is refused; every reason answers 401, as Nexudus documents.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// No credentials, unknown or expired ones.
    Unauthenticated,
    /// The user lacks the route's role.
    MissingRole(String),
}

/// A grant's failure, answered as OAuth does (`{"error", "error_description"}`, 400).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct GrantError {
    pub(crate) error: &'static str,
    pub(crate) description: String,
}

/// The answer to a successful grant.
#[derive(Debug)]
pub(crate) struct Tokens {
    pub(crate) access_token: String,
    pub(crate) refresh_token: String,
    pub(crate) expires_in: u64,
}

struct Issued {
    username: String,
    expires: Instant,
}

struct Refresh {
    username: String,
    client_id: String,
}

/// Users, and the tokens issued to them.
pub(crate) struct Auth {
    users: Vec<User>,
    lifetime: Duration,
    access: Mutex<HashMap<String, Issued>>,
    refresh: Mutex<HashMap<String, Refresh>>,
}

impl Auth {
    pub(crate) fn new(users: Vec<User>, lifetime: Duration) -> Self {
        Self {
            users,
            lifetime,
            access: Mutex::new(HashMap::new()),
            refresh: Mutex::new(HashMap::new()),
        }
    }

    fn user(&self, username: &str, password: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|user| user.username.eq_ignore_ascii_case(username) && user.password == password)
    }

    /// `POST /api/token`, from its form fields.
    pub(crate) fn grant(&self, form: &HashMap<String, String>) -> Result<Tokens, GrantError> {
        let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
        match field("grant_type") {
            "password" => {
                let user = self
                    .user(field("username"), field("password"))
                    .ok_or(GrantError {
                        error: "invalid_grant",
                        description: "The user name or password is incorrect.".into(),
                    })?;
                let client_id = match field("client_id") {
                    "" => user.username.clone(),
                    client_id => client_id.to_owned(),
                };
                Ok(self.issue(&user.username.clone(), client_id))
            }
            "refresh_token" => {
                // Rotation: the token is spent whether or not the rest checks out.
                let spent = lock(&self.refresh).remove(field("refresh_token"));
                let refresh = spent.ok_or(GrantError {
                    error: "invalid_grant",
                    description: "The refresh token is invalid or was already used.".into(),
                })?;
                let client_id = match field("client_id") {
                    "" => refresh.username.clone(),
                    client_id => client_id.to_owned(),
                };
                if client_id != refresh.client_id {
                    return Err(GrantError {
                        error: "invalid_client",
                        description: "The refresh token was issued to another client.".into(),
                    });
                }
                Ok(self.issue(&refresh.username, client_id))
            }
            _ => Err(GrantError {
                error: "unsupported_grant_type",
                description: "grant_type must be password or refresh_token, form-encoded.".into(),
            }),
        }
    }

    fn issue(&self, username: &str, client_id: String) -> Tokens {
        let access_token = new_token();
        let refresh_token = new_token();
        lock(&self.access).insert(
            access_token.clone(),
            Issued {
                username: username.to_owned(),
                expires: Instant::now() + self.lifetime,
            },
        );
        lock(&self.refresh).insert(
            refresh_token.clone(),
            Refresh {
                username: username.to_owned(),
                client_id,
            },
        );
        Tokens {
            access_token,
            refresh_token,
            expires_in: self.lifetime.as_secs(),
        }
    }

    /// The user an `Authorization` header names (Bearer token or Basic credentials), if any.
    pub(crate) fn authenticate(&self, authorization: Option<&str>) -> Option<&User> {
        let (scheme, credentials) = authorization?.split_once(' ')?;
        let username = if scheme.eq_ignore_ascii_case("bearer") {
            let access = lock(&self.access);
            let issued = access.get(credentials.trim())?;
            if issued.expires <= Instant::now() {
                return None;
            }
            issued.username.clone()
        } else if scheme.eq_ignore_ascii_case("basic") {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials.trim())
                .ok()?;
            let decoded = String::from_utf8(decoded).ok()?;
            let (username, password) = decoded.split_once(':')?;
            return self.user(username, password);
        } else {
            return None;
        };
        self.users
            .iter()
            .find(|user| user.username.eq_ignore_ascii_case(&username))
    }

    /// The user, when the header authenticates one who has the role `{entity}-{action}`.
    pub(crate) fn authorize(
        &self,
        authorization: Option<&str>,
        entity: &str,
        action: Action,
    ) -> Result<&User, Refusal> {
        let user = self
            .authenticate(authorization)
            .ok_or(Refusal::Unauthenticated)?;
        let role = format!("{entity}-{}", action.name());
        if user
            .roles
            .iter()
            .any(|held| held == ADMINISTRATOR || *held == role)
        {
            Ok(user)
        } else {
            Err(Refusal::MissingRole(role))
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// 244 random bits, from two version-4 UUIDs (the operating system's random source).
fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

#[cfg(test)]
mod tests;
