//! `Client`: the operations generated entity code calls (search, get, get many, writes, delete,
//! commands), each going through the attempt loop of `attempt.rs`.

use std::fmt;
use std::sync::Arc;

use serde_json::{Map, Value};
use url::Url;

use super::attempt::{Answer, join};
use super::auth::Auth;
#[cfg(test)]
use super::builder::ClientBuilder;
use super::command::{Command, CommandOutcome, CommandParameter, RunCommandBody};
use super::endpoint::{Endpoint, Endpoints, Operation, WriteOutcome};
use super::error::Error;
use super::limit::RateLimiter;
use super::page::Page;
use super::pending::{Exchange, Pending, Records};
use super::record::{Full, Record};
use super::retry::RetryPolicy;
use super::search::{DirectionEncoding, PageRequest, SortKey};
use super::validation::{ValidationErrors, Violations};
use super::wire;

/// An authenticated connection to the Nexudus API, made by
/// [`ClientBuilder::build`](crate::ClientBuilder::build); the SDK's `nexudus::Client` wraps one.
///
/// Cloning is cheap and clones share one connection pool and, with a password grant, one access
/// token: when it is due for renewal, one request renews it while the others wait. `Debug` shows
/// the base URL and any username, but never a password or token.
#[derive(Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) shared: Arc<Shared>,
}

/// What clones of a client share: its configuration, credentials and limiter.
pub(super) struct Shared {
    pub(super) base_url: Url,
    pub(super) auth: Auth,
    pub(super) policy: RetryPolicy,
    pub(super) limiter: RateLimiter,
    pub(super) max_response_size: usize,
    pub(super) direction_encoding: DirectionEncoding,
}

impl Client {
    /// A builder of this client rather than the SDK's, for the tests.
    #[cfg(test)]
    pub(crate) fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The URL that API paths are appended to.
    pub fn base_url(&self) -> &Url {
        &self.shared.base_url
    }

    /// Sends a create or update and interprets the write envelope that comes back.
    #[cfg(test)]
    pub(crate) fn write(&self, endpoint: &Endpoint, body: Vec<u8>) -> Pending<'_, WriteOutcome> {
        self.write_checked(endpoint, Ok(body))
    }

    /// [`write`](Self::write) of a body that may have failed to be made (a request refused by
    /// its validation, or one that would not serialize): that failure is answered as it is, and
    /// nothing is sent.
    #[doc(hidden)]
    pub fn write_checked(
        &self,
        endpoint: &Endpoint,
        body: Result<Vec<u8>, Error>,
    ) -> Pending<'_, WriteOutcome> {
        let endpoint = *endpoint;
        Pending::new(async move {
            let body = body?;
            let url = join(&self.shared.base_url, endpoint.path)?;
            let answer = self.execute(&endpoint, url, Some(body)).await?;
            endpoint.write_result(answer.status, &answer.body)
        })
    }

    /// Fetches one record, `GET {path}/{id}`, answered with every property.
    #[doc(hidden)]
    pub fn get<T: Record>(&self, endpoint: &Endpoint, id: i64) -> Pending<'_, Full<T>> {
        Pending::read(self.exchange(*endpoint, Some(id), Vec::new()), |answered| {
            let json: Map<String, Value> = answered.decode()?;
            let record = answered.read_record(&json)?;
            Ok(Full::new(record, json))
        })
    }

    /// [`read_answer`](Self::read_answer), boxed with what reading its answer needs: one future
    /// type for every read of every record type.
    fn exchange(
        &self,
        endpoint: Endpoint,
        id: Option<i64>,
        query: Vec<(String, String)>,
    ) -> Exchange<'_> {
        Box::pin(async move {
            let answer = self.read_answer(&endpoint, id, &query).await?;
            Ok(Answered {
                endpoint,
                answer,
                direction_encoding: self.shared.direction_encoding,
            })
        })
    }

    /// Sends a `GET` (search, get, get many, commands) and answers a 2xx response, whose status
    /// [`Endpoint::decode`] reports should the body not parse.
    ///
    /// The URL is `{base}{path}`, then `/commands` for [`Operation::Commands`], `/` for
    /// [`Operation::GetMany`] (as documented: `.../?id=[1,2]`), then `/{id}` when `id` is given,
    /// then `query` form-encoded. Search filters and sorting are `query` pairs; their values may
    /// hold anything (`2025-01-02T03:04`, `[1,2]`), they are encoded here.
    async fn read_answer(
        &self,
        endpoint: &Endpoint,
        id: Option<i64>,
        query: &[(String, String)],
    ) -> Result<Answer, Error> {
        let suffix = match endpoint.operation {
            Operation::Commands => Some("commands"),
            Operation::GetMany => Some(""),
            _ => None,
        };
        let id = id.map(|id| id.to_string());
        let mut url = self.url(endpoint, suffix.into_iter().chain(id.as_deref()))?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let answer = self.execute(endpoint, url, None).await?;
        if (200..300).contains(&answer.status) {
            Ok(answer)
        } else {
            Err(endpoint.status_error(answer.status, &answer.body))
        }
    }

    /// Fetches one page of search results: `GET {path}?{filters}&page=..&size=..`, then
    /// `&orderBy=..&dir=..` when `page` is sorted, with `dir` written in the client's
    /// [`DirectionEncoding`].
    ///
    /// `query` holds the filters' pairs (a [`Query`](super::Query)), sent first and in order.
    #[doc(hidden)]
    pub fn search<T: Record, S: SortKey>(
        &self,
        endpoint: &Endpoint,
        mut query: Vec<(String, String)>,
        page: &PageRequest<S>,
    ) -> Pending<'_, Page<T>> {
        query.extend(page.query_pairs(self.shared.direction_encoding));
        Pending::read(self.exchange(*endpoint, None, query), |answered| {
            let page: Page<Map<String, Value>> = answered.decode()?;
            let records = answered.read_records(&page.records)?;
            Ok(page
                .with_records(records)
                .read_direction(answered.direction_encoding))
        })
    }

    /// Every record of every page of a search, one at a time, from `page`'s page number on,
    /// with its size and order.
    ///
    /// Pages are fetched lazily: nothing is sent until the stream is first polled, and the next
    /// page only once the caller has taken every record of the current one. The stream goes on
    /// while a page says `HasNextPage: true`. An error (a refused page or size too) is yielded
    /// once, and then the stream ends.
    ///
    /// Generated code passes `&ENDPOINTS.search`, a field of a `const`, which is `'static`; the
    /// stream keeps a copy of the endpoint.
    #[doc(hidden)]
    pub fn search_all<'a, T, S>(
        &'a self,
        endpoint: &'a Endpoint,
        filters: Vec<(String, String)>,
        page: PageRequest<S>,
    ) -> Records<'a, T>
    where
        T: Record + Send + 'a,
        S: SortKey + Send + Sync + 'a,
    {
        let state = SearchAll {
            endpoint: *endpoint,
            filters,
            records: Vec::new().into_iter(),
            next: Some(page),
        };
        Records::new(futures_util::stream::unfold(
            Some(state),
            move |state| async move {
                // `None` once an error has been yielded.
                let mut state = state?;
                loop {
                    if let Some(record) = state.records.next() {
                        return Some((Ok(record), Some(state)));
                    }
                    let request = state.next.take()?;
                    let page = match self
                        .search::<T, S>(&state.endpoint, state.filters.clone(), &request)
                        .await
                    {
                        Ok(page) => page,
                        Err(error) => return Some((Err(error), None)),
                    };
                    // A page without records ends the search even if it claims a next one: were a
                    // server to say so for every page, following it would never end.
                    if page.has_next_page && !page.records.is_empty() {
                        state.next = request.next_page();
                    }
                    state.records = page.records.into_iter();
                }
            },
        ))
    }

    /// Reads several records by their `Id`s in one request: `GET {path}/?id=[1,2,3]`, answered
    /// with a JSON array of partial records. Ids with no record are simply missing from it.
    /// No `ids` answer an empty list without sending anything.
    #[doc(hidden)]
    pub fn get_many<T: Record>(&self, endpoint: &Endpoint, ids: &[i64]) -> Pending<'_, Vec<T>> {
        if ids.is_empty() {
            return Pending::ready(Ok(Vec::new()));
        }
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let query = vec![("id".to_owned(), format!("[{list}]"))];
        Pending::read(self.exchange(*endpoint, None, query), |answered| {
            let objects: Vec<Map<String, Value>> = answered.decode()?;
            answered.read_records(&objects)
        })
    }

    /// Lists the commands an entity offers: `GET {path}/commands`, a JSON array of
    /// [`Command`]. `endpoint` is the entity's [`Operation::Commands`] endpoint.
    #[doc(hidden)]
    pub fn commands(&self, endpoint: &Endpoint) -> Pending<'_, Vec<Command>> {
        Pending::read(self.exchange(*endpoint, None, Vec::new()), |answered| {
            answered.decode()
        })
    }

    /// Sends `DELETE {path}/{id}` and interprets the write envelope that comes back. When the
    /// envelope carries no `Value.Id`, the outcome has the `id` that was deleted.
    #[doc(hidden)]
    pub fn delete(&self, endpoint: &Endpoint, id: i64) -> Pending<'_, WriteOutcome> {
        let endpoint = *endpoint;
        Pending::new(async move {
            let url = self.url(&endpoint, [id.to_string().as_str()])?;
            let answer = self.execute(&endpoint, url, None).await?;
            endpoint.outcome(answer.status, &answer.body, Some(id))
        })
    }

    /// Runs the command `key` on the records `ids`: `POST {path}/runcommand` with the JSON body
    /// `{"Key", "Ids", "Parameters"}` (`Parameters` is `[]` when there are none), and interprets
    /// the write envelope that comes back. Never retried once it may have reached the server.
    ///
    /// A blank `key` is refused with a client-side [`Error::Validation`] and nothing is sent.
    /// `ids` may be empty: some commands need no records. `WasSuccessful: false` or a 400 with
    /// the envelope is a server-side [`Error::Validation`], as for writes.
    #[doc(hidden)]
    pub fn run_command(
        &self,
        endpoint: &Endpoint,
        key: &str,
        ids: &[i64],
        parameters: &[CommandParameter],
    ) -> Pending<'_, CommandOutcome> {
        let endpoint = *endpoint;
        let mut violations = Violations::new(endpoint.secret_properties);
        violations.not_blank("Key", key);
        // Checked and serialized when called, so that the call borrows none of its arguments.
        let body = violations
            .finish()
            .map_err(|errors| endpoint.rejected(errors))
            .and_then(|()| {
                endpoint.encode(&RunCommandBody {
                    key,
                    ids,
                    parameters,
                })
            });
        Pending::new(async move {
            let body = body?;
            let url = self.url(&endpoint, ["runcommand"])?;
            let answer = self.execute(&endpoint, url, Some(body)).await?;
            endpoint.command_outcome(answer.status, &answer.body)
        })
    }

    /// Gets the record `id`, makes an update of it with `from_record`, hands that to `change`,
    /// and sends what `change` answers, made into a body by `body` (which validates it first).
    ///
    /// Not a [`Pending`]: `change` is the caller's, and need not be `Send`.
    #[doc(hidden)]
    pub async fn update_with<T: Record, U>(
        &self,
        endpoints: &Endpoints,
        id: i64,
        from_record: fn(&Full<T>) -> Result<U, ValidationErrors>,
        body: fn(&U) -> Result<Vec<u8>, Error>,
        change: impl FnOnce(U) -> U,
    ) -> Result<WriteOutcome, Error> {
        let record = self.get(&endpoints.get, id).await?;
        let request = from_record(&record).map_err(|errors| endpoints.update.rejected(errors))?;
        self.write_checked(&endpoints.update, body(&change(request)))
            .await
    }
}

/// Where [`Client::search_all`] is between polls.
/// A read's answer, with what reading it needs.
pub(crate) struct Answered {
    endpoint: Endpoint,
    answer: Answer,
    /// How this client reads the sort direction a search page reports.
    direction_encoding: DirectionEncoding,
}

impl Answered {
    /// The body parsed as `T`, one of the few JSON shapes of an answer (an object, a list of
    /// objects, a page of them); [`Error::Decode`] with the start of the body if it does not fit.
    fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        self.endpoint.decode(self.answer.status, &self.answer.body)
    }

    /// Reads one record from an object of the answer; a record that does not fit is an
    /// [`Error::Decode`] with the start of the answer.
    ///
    /// Answers are parsed into JSON objects first, the same code for every record type; only this
    /// step is compiled per record type.
    fn read_record<T: Record>(&self, object: &Map<String, Value>) -> Result<T, Error> {
        wire::read(object).map_err(|source| {
            self.endpoint
                .decode_error(self.answer.status, &self.answer.body, source)
        })
    }

    /// [`read_record`](Self::read_record) of each object, in order.
    fn read_records<T: Record>(&self, objects: &[Map<String, Value>]) -> Result<Vec<T>, Error> {
        objects
            .iter()
            .map(|object| self.read_record(object))
            .collect()
    }
}

struct SearchAll<T, S> {
    endpoint: Endpoint,
    filters: Vec<(String, String)>,
    /// The records of the current page not yet yielded.
    records: std::vec::IntoIter<T>,
    /// The page to fetch once `records` is used up; `None` after the last page.
    next: Option<PageRequest<S>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url.as_str())
            .field("auth", &self.shared.auth)
            .finish()
    }
}

#[cfg(test)]
mod tests;
