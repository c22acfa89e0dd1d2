//! `Authorized<A>`: the extractor every entity handler starts with. It names the entity the
//! route serves and the user allowed to do `A` on it, or refuses the request (401, or 409 over a
//! rate limit) before the handler runs.

use std::marker::PhantomData;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use nexudus_codegen::model::{EntityModel, Model};

use crate::auth::{Action, Refusal};
use crate::failure::Failure;
use crate::routes::AppState;

/// The catalogue index of the entity a route serves, set on each entity's routes by the router.
#[derive(Clone, Copy)]
pub(crate) struct EntityIndex(pub(crate) usize);

/// What a route does, as a type: the role `{Entity}-{ACTION}` it needs.
pub(crate) trait Permission {
    /// The action the route's role is named for.
    const ACTION: Action;
}

/// Defines a [`Permission`] for one [`Action`].
macro_rules! permissions {
    ($($(#[$doc:meta])* $name:ident,)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl Permission for $name {
            const ACTION: Action = Action::$name;
        }
    )*};
}

permissions! {
    /// Searching, and listing commands.
    List,
    /// Getting one record or many.
    Read,
    /// Creating.
    Create,
    /// Updating, and running a command.
    Edit,
    /// Deleting.
    Delete,
}

/// The entity a route serves, read through the shared catalogue.
pub(crate) struct Entity {
    catalogue: Arc<Model>,
    index: usize,
}

impl std::ops::Deref for Entity {
    type Target = EntityModel;

    fn deref(&self) -> &EntityModel {
        &self.catalogue.entities[self.index]
    }
}

/// A request that may do `A` on its route's entity, by `user`, within the user's rate limits.
pub(crate) struct Authorized<A> {
    /// The entity the route serves.
    pub(crate) entity: Entity,
    /// The user name of the caller.
    pub(crate) user: String,
    permission: PhantomData<A>,
}

impl<A: Permission> FromRequestParts<AppState> for Authorized<A> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        let Some(&EntityIndex(index)) = parts.extensions.get::<EntityIndex>() else {
            return Err(Failure::Storage("this route serves no entity".into()));
        };
        let entity = Entity {
            catalogue: state.catalogue.clone(),
            index,
        };
        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok());
        let user = match state.auth.authorize(authorization, &entity.name, A::ACTION) {
            Ok(user) => user.username.clone(),
            Err(Refusal::Unauthenticated) => {
                return Err(Failure::Unauthorized(
                    "Authorization has been denied for this request.".into(),
                ));
            }
            Err(Refusal::MissingRole(role)) => {
                return Err(Failure::Unauthorized(format!(
                    "Authorization has been denied for this request: the {role} role is needed."
                )));
            }
        };
        if let Some(limiter) = &state.limiter {
            let write = matches!(A::ACTION, Action::Create | Action::Edit | Action::Delete);
            limiter.check(&user, write).map_err(Failure::Throttled)?;
        }
        Ok(Self {
            entity,
            user,
            permission: PhantomData,
        })
    }
}
