//! The HTTP side: one route per entity and operation its schema declares, at Nexudus's paths,
//! answering with Nexudus's envelopes.

use std::sync::Arc;

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Form, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Extension, Router};
use nexudus_codegen::model::{EntityModel, Model, Operation, Presence, ValueType};
use serde_json::{Value, json};

use crate::auth::Auth;
use crate::authorized::{Authorized, Create, Delete, Edit, EntityIndex, List, Read};
use crate::failure::Failure;
use crate::limit::Limiter;
use crate::query::search_query;
use crate::store::{Store, StoreError, Stored};
use crate::validate::{Problem, check_run_command, check_write};

/// What every request handler shares.
#[derive(Clone)]
pub(crate) struct AppState {
    pub(crate) catalogue: Arc<Model>,
    pub(crate) store: Store,
    /// The largest request body accepted, in bytes.
    pub(crate) body_limit: usize,
    /// How long a request's body may take to arrive.
    pub(crate) read_timeout: std::time::Duration,
    pub(crate) auth: Arc<Auth>,
    /// `None` when rate limiting is off.
    pub(crate) limiter: Option<Arc<Limiter>>,
}

/// The id of a `{path}/{id}` route, or why there is none (not UTF-8 once percent-decoded).
type IdParameter = Result<Path<String>, PathRejection>;

/// Every entity's routes: `{path}` (search, create, update), `{path}/` (get many),
/// `{path}/{id}` (get, delete) and `{path}/commands` and `{path}/runcommand`, each only for the
/// operations the schema declares. Each route carries its entity's [`EntityIndex`], which the
/// handlers' [`Authorized`] extractor reads.
pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (index, entity) in state.catalogue.entities.iter().enumerate() {
        let serves = |route: MethodRouter<AppState>| route.layer(Extension(EntityIndex(index)));
        let mut collection: MethodRouter<AppState> = MethodRouter::new();
        if entity.supports(Operation::Search) {
            collection = collection.get(search);
        }
        if entity.supports(Operation::Create) {
            collection = collection.post(create);
        }
        if entity.supports(Operation::Update) {
            collection = collection.put(update);
        }
        router = router.route(&entity.path, serves(collection));
        if entity.supports(Operation::GetMany) {
            router = router.route(&format!("{}/", entity.path), serves(get(get_many)));
        }
        let mut one: MethodRouter<AppState> = MethodRouter::new();
        if entity.supports(Operation::Get) {
            one = one.get(get_one);
        }
        if entity.supports(Operation::Delete) {
            one = one.delete(delete);
        }
        router = router.route(&format!("{}/{{id}}", entity.path), serves(one));
        if entity.supports(Operation::Commands) {
            router = router
                .route(&format!("{}/commands", entity.path), serves(get(commands)))
                .route(
                    &format!("{}/runcommand", entity.path),
                    serves(post(run_command)),
                );
        }
    }
    router
        .route(TOKEN_PATH, post(token))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            read_request,
        ))
        // The body is read, within `body_limit`, by `read_request`; axum's own 2 MB default
        // would refuse a larger configured limit.
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

/// The token endpoint, which answers as OAuth does.
const TOKEN_PATH: &str = "/api/token";

/// Reads a request's whole body before its handler runs: up to `body_limit` bytes (a 400
/// beyond), and within `read_timeout` (a 408 when the client is slower). Without the deadline, a
/// client dripping its body a byte at a time would hold its connection for as long as it liked;
/// a deadline between bytes (`tower_http`'s `RequestBodyTimeout`) would not stop that.
async fn read_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    // Refused in the shape of the route's other failures: OAuth's for the token endpoint.
    let oauth = parts.uri.path() == TOKEN_PATH;
    let too_large = || {
        let message = format!(
            "the body is larger than {} bytes, or could not be read",
            state.body_limit
        );
        if oauth {
            oauth_error(StatusCode::BAD_REQUEST, "invalid_request", message)
        } else {
            Failure::Invalid(vec![Problem::body(message)]).into_response()
        }
    };
    // A `Content-Length` over the limit is refused at once, not after waiting for the bytes.
    if body.size_hint().lower() > u64::try_from(state.body_limit).unwrap_or(u64::MAX) {
        return too_large();
    }
    let read = tokio::time::timeout(
        state.read_timeout,
        axum::body::to_bytes(body, state.body_limit),
    )
    .await;
    match read {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => too_large(),
        Err(_) if oauth => {
            let mut response = oauth_error(
                StatusCode::REQUEST_TIMEOUT,
                "invalid_request",
                format!(
                    "The request body did not arrive within {} s.",
                    state.read_timeout.as_secs_f64()
                ),
            );
            response.headers_mut().insert(
                header::CONNECTION,
                header::HeaderValue::from_static("close"),
            );
            response
        }
        Err(_) => Failure::TooSlow(state.read_timeout).into_response(),
    }
}

/// An OAuth error: `{"error", "error_description"}`.
fn oauth_error(status: StatusCode, error: &str, description: String) -> Response {
    (
        status,
        axum::Json(json!({"error": error, "error_description": description})),
    )
        .into_response()
}

/// The answer to a request whose handler panicked: a 500 rather than a connection closed
/// without one. Storage is left whole: each write is one SQLite statement, rolled back unless
/// it completed.
fn panicked(_: Box<dyn std::any::Any + Send>) -> Response {
    Failure::Storage("the server failed while answering this request".into()).into_response()
}

/// `POST /api/token`: the password and refresh grants, form-encoded, as OAuth answers them.
async fn token(
    State(state): State<AppState>,
    form: Result<Form<std::collections::HashMap<String, String>>, FormRejection>,
) -> Response {
    let granted = match form {
        Ok(Form(form)) => state.auth.grant(&form),
        // A JSON body, as Nexudus answers it.
        Err(_) => Err(crate::auth::GrantError {
            error: "unsupported_grant_type",
            description: "The body must be form-encoded.".into(),
        }),
    };
    match granted {
        Ok(tokens) => axum::Json(json!({
            "access_token": tokens.access_token,
            "token_type": "bearer",
            "expires_in": tokens.expires_in,
            "refresh_token": tokens.refresh_token,
        }))
        .into_response(),
        Err(error) => oauth_error(StatusCode::BAD_REQUEST, error.error, error.description),
    }
}

/// Runs storage work on `entity`'s records off the async threads (SQLite calls block).
async fn storage<T: Send + 'static>(
    state: &AppState,
    entity: &EntityModel,
    work: impl FnOnce(&Store, &str) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Failure> {
    let store = state.store.clone();
    let name = entity.name.clone();
    match tokio::task::spawn_blocking(move || work(&store, &name)).await {
        Ok(result) => result.map_err(Failure::from),
        Err(error) => Err(Failure::Storage(format!("storage task failed: {error}"))),
    }
}

/// A record as search and get-many answer it: without its lists, as Nexudus leaves them out.
fn partial(entity: &EntityModel, record: &Stored) -> Value {
    let mut json = record.to_json();
    if let Value::Object(object) = &mut json {
        for field in &entity.fields {
            if matches!(field.ty, ValueType::List(_)) {
                object.remove(&field.name);
            }
        }
    }
    json
}

/// 404 for the record `id` of `entity`, which does not exist (or is not an Id at all).
fn not_found(entity: &EntityModel, id: impl std::fmt::Display) -> Failure {
    Failure::NotFound(format!("{} {id} was not found", entity.name))
}

/// The Id of a `{path}/{id}` route; anything but a 64-bit integer names no record: 404.
fn parse_id(entity: &EntityModel, id: IdParameter) -> Result<i64, Failure> {
    match id {
        Ok(Path(id)) => id.parse().map_err(|_| not_found(entity, id)),
        Err(_) => Err(not_found(entity, "(an Id that is not UTF-8)")),
    }
}

async fn get_one(
    State(state): State<AppState>,
    Authorized { entity, .. }: Authorized<Read>,
    id: IdParameter,
) -> Result<Response, Failure> {
    let id = parse_id(&entity, id)?;
    match storage(&state, &entity, move |store, name| store.get(name, id)).await? {
        Some(record) => Ok(axum::Json(record.to_json()).into_response()),
        None => Err(not_found(&entity, id)),
    }
}

async fn get_many(
    State(state): State<AppState>,
    Authorized { entity, .. }: Authorized<Read>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let ids = query
        .iter()
        .find(|(name, _)| name == "id")
        .map(|(_, value)| value.as_str())
        .unwrap_or("[]");
    let ids: Vec<i64> = serde_json::from_str(ids).map_err(|_| {
        Failure::Invalid(vec![Problem {
            property: "id".into(),
            message: "must be a list of Ids, e.g. [1,2,3]".into(),
            attempted: Value::from(ids),
        }])
    })?;
    let records = storage(&state, &entity, move |store, name| {
        store.get_many(name, &ids)
    })
    .await?;
    let records: Vec<Value> = records
        .iter()
        .map(|record| partial(&entity, record))
        .collect();
    Ok(axum::Json(records).into_response())
}

async fn delete(
    State(state): State<AppState>,
    Authorized { entity, .. }: Authorized<Delete>,
    id: IdParameter,
) -> Result<Response, Failure> {
    let id = parse_id(&entity, id)?;
    if storage(&state, &entity, move |store, name| store.delete(name, id)).await? {
        Ok(written(&entity, "deleted", id, None))
    } else {
        Err(not_found(&entity, id))
    }
}

async fn create(
    State(state): State<AppState>,
    Authorized { entity, user, .. }: Authorized<Create>,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let checked = check_write(&state.catalogue, &entity, Operation::Create, &bytes)
        .map_err(Failure::Invalid)?;
    let fields = checked.fields;
    let record = storage(&state, &entity, move |store, name| {
        store.create(name, &fields, &user)
    })
    .await?;
    Ok(written(&entity, "created", record.id, Some(&record)))
}

async fn update(
    State(state): State<AppState>,
    Authorized { entity, user, .. }: Authorized<Edit>,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let checked = check_write(&state.catalogue, &entity, Operation::Update, &bytes)
        .map_err(Failure::Invalid)?;
    let fields = checked.fields;
    // `check_write` requires `Id` on update.
    let id = checked.id.unwrap_or_default();
    // A PUT replaces what an update takes: a property it leaves out is cleared, as a full
    // replacement clears it on Nexudus. What no update takes (create-only and read-only
    // properties) and what the server maintains keep their stored values.
    let updatable: Vec<String> = entity
        .fields
        .iter()
        .filter(|field| field.update != Presence::Absent)
        .map(|field| field.name.clone())
        .chain(
            state
                .catalogue
                .writable_base_fields
                .iter()
                .map(|base| base.name.clone()),
        )
        .collect();
    match storage(&state, &entity, move |store, name| {
        store.replace(
            name,
            id,
            &fields,
            |field| updatable.iter().any(|name| name == field),
            &user,
        )
    })
    .await?
    {
        Some(record) => Ok(written(&entity, "updated", id, Some(&record))),
        None => Err(not_found(&entity, id)),
    }
}

/// `GET {path}/commands`: the commands an account defines for the entity. Commands are set up
/// per account and no schema lists them, so this server knows none. Seeing them is taken to
/// need the `{Entity}-List` role (not documented).
async fn commands(_: Authorized<List>) -> Result<Response, Failure> {
    Ok(axum::Json(Vec::<Value>::new()).into_response())
}

/// `POST {path}/runcommand` with `{"Key", "Ids", "Parameters"}`: the body is checked like a
/// write's (every problem at once), then refused, since no command is known (see
/// [`commands`]). Running one is taken to need the `{Entity}-Edit` role (not documented).
async fn run_command(
    Authorized { entity, .. }: Authorized<Edit>,
    bytes: Bytes,
) -> Result<Response, Failure> {
    Err(Failure::Invalid(check_run_command(&entity, &bytes)))
}

/// The write envelope: `WasSuccessful`, `Message`, `Value.Id`.
fn written(entity: &EntityModel, what: &str, id: i64, record: Option<&Stored>) -> Response {
    axum::Json(json!({
        "Status": 200,
        "Message": format!("{} was successfully {what}.", entity.name),
        "Value": {"Id": id},
        "OpenInDialog": false,
        "OpenInWindow": false,
        "RedirectURL": null,
        "JavaScript": null,
        "UpdatedOn": record.map(|record| record.updated_on.clone()),
        "UpdatedBy": record.map(|record| record.updated_by.clone()),
        "Errors": null,
        "WasSuccessful": true,
    }))
    .into_response()
}

async fn search(
    State(state): State<AppState>,
    Authorized { entity, .. }: Authorized<List>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, Failure> {
    let search = search_query(&entity, &query).map_err(Failure::Invalid)?;
    let (page, size, order_by, descending) = (
        search.page,
        search.size,
        search.order_by.clone(),
        search.descending,
    );
    let (records, total) = storage(&state, &entity, move |store, name| {
        store.search(name, &search)
    })
    .await?;
    let records: Vec<Value> = records
        .iter()
        .map(|record| partial(&entity, record))
        .collect();
    let first = if records.is_empty() {
        0
    } else {
        (page - 1) * size + 1
    };
    let last = if records.is_empty() {
        0
    } else {
        first + records.len() as u64 - 1
    };
    let pages = total.div_ceil(size);
    Ok(axum::Json(json!({
        "Records": records,
        "CurrentPage": page,
        "CurrentPageSize": size,
        "CurrentOrderField": order_by,
        "CurrentSortDirection": if descending { 1 } else { 0 },
        "FirstItem": first,
        "LastItem": last,
        "TotalItems": total,
        "TotalPages": pages,
        "HasNextPage": page < pages,
        "HasPreviousPage": page > 1,
    }))
    .into_response())
}
