//! The HTTP side: one route per entity and operation its schema declares, at Nexudus's paths,
//! answering with Nexudus's envelopes.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Form, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use nexudus_codegen::model::{EntityModel, Model, Operation, Presence, ValueType};
use serde_json::{Value, json};

use crate::auth::{Action, Auth, Refusal};
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
/// operations the schema declares.
pub(crate) fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (index, entity) in state.catalogue.entities.iter().enumerate() {
        let mut collection: MethodRouter<AppState> = MethodRouter::new();
        if entity.supports(Operation::Search) {
            collection = collection.get(
                move |State(state): State<AppState>,
                      headers: HeaderMap,
                      Query(query): Query<Vec<(String, String)>>| {
                    search(state, headers, index, query)
                },
            );
        }
        if entity.supports(Operation::Create) {
            collection = collection.post(
                move |State(state): State<AppState>, headers: HeaderMap, body: Bytes| {
                    write(state, headers, index, Operation::Create, body)
                },
            );
        }
        if entity.supports(Operation::Update) {
            collection = collection.put(
                move |State(state): State<AppState>, headers: HeaderMap, body: Bytes| {
                    write(state, headers, index, Operation::Update, body)
                },
            );
        }
        router = router.route(&entity.path, collection);
        if entity.supports(Operation::GetMany) {
            router = router.route(
                &format!("{}/", entity.path),
                get(
                    move |State(state): State<AppState>,
                          headers: HeaderMap,
                          Query(query): Query<Vec<(String, String)>>| {
                        get_many(state, headers, index, query)
                    },
                ),
            );
        }
        let mut one: MethodRouter<AppState> = MethodRouter::new();
        if entity.supports(Operation::Get) {
            one = one.get(
                move |State(state): State<AppState>, headers: HeaderMap, id: IdParameter| {
                    get_one(state, headers, index, id)
                },
            );
        }
        if entity.supports(Operation::Delete) {
            one = one.delete(
                move |State(state): State<AppState>, headers: HeaderMap, id: IdParameter| {
                    delete(state, headers, index, id)
                },
            );
        }
        router = router.route(&format!("{}/{{id}}", entity.path), one);
        if entity.supports(Operation::Commands) {
            router = router
                .route(
                    &format!("{}/commands", entity.path),
                    get(move |State(state): State<AppState>, headers: HeaderMap| {
                        commands(state, headers, index)
                    }),
                )
                .route(
                    &format!("{}/runcommand", entity.path),
                    post(
                        move |State(state): State<AppState>, headers: HeaderMap, body: Bytes| {
                            run_command(state, headers, index, body)
                        },
                    ),
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

/// The user making a request, when they may do `action` on `entity` and are within their rate
/// limits; refused with 401 or 409 otherwise.
fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    entity: &EntityModel,
    action: Action,
) -> Result<String, Failure> {
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let user = match state.auth.authorize(authorization, &entity.name, action) {
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
        let write = matches!(action, Action::Create | Action::Edit | Action::Delete);
        limiter.check(&user, write).map_err(Failure::Throttled)?;
    }
    Ok(user)
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
    state: AppState,
    headers: HeaderMap,
    index: usize,
    id: IdParameter,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::Read)?;
    let id = parse_id(entity, id)?;
    match storage(&state, entity, move |store, name| store.get(name, id)).await? {
        Some(record) => Ok(axum::Json(record.to_json()).into_response()),
        None => Err(not_found(entity, id)),
    }
}

async fn get_many(
    state: AppState,
    headers: HeaderMap,
    index: usize,
    query: Vec<(String, String)>,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::Read)?;
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
    let records = storage(&state, entity, move |store, name| {
        store.get_many(name, &ids)
    })
    .await?;
    let records: Vec<Value> = records
        .iter()
        .map(|record| partial(entity, record))
        .collect();
    Ok(axum::Json(records).into_response())
}

async fn delete(
    state: AppState,
    headers: HeaderMap,
    index: usize,
    id: IdParameter,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::Delete)?;
    let id = parse_id(entity, id)?;
    if storage(&state, entity, move |store, name| store.delete(name, id)).await? {
        Ok(written(entity, "deleted", id, None))
    } else {
        Err(not_found(entity, id))
    }
}

async fn write(
    state: AppState,
    headers: HeaderMap,
    index: usize,
    operation: Operation,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    let action = if operation == Operation::Create {
        Action::Create
    } else {
        Action::Edit
    };
    let user = authorize(&state, &headers, entity, action)?;
    let checked =
        check_write(&state.catalogue, entity, operation, &bytes).map_err(Failure::Invalid)?;
    let fields = checked.fields;
    if operation == Operation::Create {
        let record = storage(&state, entity, move |store, name| {
            store.create(name, &fields, &user)
        })
        .await?;
        return Ok(written(entity, "created", record.id, Some(&record)));
    }
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
    match storage(&state, entity, move |store, name| {
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
        Some(record) => Ok(written(entity, "updated", id, Some(&record))),
        None => Err(not_found(entity, id)),
    }
}

/// `GET {path}/commands`: the commands an account defines for the entity. Commands are set up
/// per account and no schema lists them, so this server knows none. Seeing them is taken to
/// need the `{Entity}-List` role (not documented).
async fn commands(state: AppState, headers: HeaderMap, index: usize) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::List)?;
    Ok(axum::Json(Vec::<Value>::new()).into_response())
}

/// `POST {path}/runcommand` with `{"Key", "Ids", "Parameters"}`: the body is checked like a
/// write's (every problem at once), then refused, since no command is known (see
/// [`commands`]). Running one is taken to need the `{Entity}-Edit` role (not documented).
async fn run_command(
    state: AppState,
    headers: HeaderMap,
    index: usize,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::Edit)?;
    Err(Failure::Invalid(check_run_command(entity, &bytes)))
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
    state: AppState,
    headers: HeaderMap,
    index: usize,
    query: Vec<(String, String)>,
) -> Result<Response, Failure> {
    let entity = &state.catalogue.entities[index];
    authorize(&state, &headers, entity, Action::List)?;
    let search = search_query(entity, &query).map_err(Failure::Invalid)?;
    let (page, size, order_by, descending) = (
        search.page,
        search.size,
        search.order_by.clone(),
        search.descending,
    );
    let (records, total) = storage(&state, entity, move |store, name| {
        store.search(name, &search)
    })
    .await?;
    let records: Vec<Value> = records
        .iter()
        .map(|record| partial(entity, record))
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
