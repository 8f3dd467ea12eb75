//! `api --paginate`: SAYMON's list endpoints page with `limit` and `skip` and answer a bare
//! JSON array (no total). Pages are asked for in order, `skip` advancing by the items
//! received, until one is shorter than the page size. The items are written as one JSON
//! array as pages arrive, so memory holds one page; with `--jq`, the whole array is
//! filtered at the end (what `gh api --paginate --jq` cannot do), up to `--max-mib`.
//!
//! A server that ignores `skip` would be walked until `--timeout`: a page that brings
//! nothing new stops the walk (exit 1). Items with an `id` are known by it: a page whose
//! items all came before is a loop, while a few that come again (a new incident shifted
//! the list between two pages) are printed once, with a warning. Items without an `id` are
//! known by page: a page byte for byte the same as an earlier one is a loop (items that
//! change with every answer and carry no `id` cannot be told apart: `--timeout` ends
//! that walk).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use reqwest::{Method, Url};
use serde_json::Value;

use crate::client::{Auth, Client, Request};
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;

/// The default page size, when neither --page-size nor a `limit` says.
pub(super) const DEFAULT_PAGE_SIZE: u64 = 100;
/// The most a page may hold, in bytes: memory stays bounded by one page.
const MAX_PAGE: usize = 64 << 20;

/// The page size and the first `skip`: --page-size, else the request's own `limit`, else
/// 100; the request's `skip`, else 0. Both are taken out of the URL, to be set per page.
pub(super) fn plan(url: &mut Url, page_size: Option<u32>) -> Result<(u64, u64)> {
    let number = |key: &str, value: &str| -> Result<u64> {
        value.parse::<u64>().map_err(|_| {
            Error::new(
                Exit::Usage,
                format!("--paginate needs a whole number for {key}, not {value:?}"),
            )
            .into()
        })
    };
    let mut limit = None;
    let mut skip = 0;
    let mut kept = Vec::new();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "limit" => limit = Some(number("limit", &value)?),
            "skip" => skip = number("skip", &value)?,
            _ => kept.push((key.into_owned(), value.into_owned())),
        }
    }
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    let size = page_size
        .map(u64::from)
        .or(limit)
        .unwrap_or(DEFAULT_PAGE_SIZE);
    if size == 0 {
        return Err(Error::new(Exit::Usage, "--paginate needs a page size above 0").into());
    }
    Ok((size, skip))
}

/// `base` with the page's `limit` (`size`) and `skip` appended.
pub(super) fn page_url(base: &Url, size: u64, skip: u64) -> Url {
    let mut url = base.clone();
    url.query_pairs_mut()
        .append_pair("limit", &size.to_string())
        .append_pair("skip", &skip.to_string());
    url
}

/// Where the items go: a JSON array written as they come, or (for --jq) kept whole.
enum Sink {
    Stream {
        pretty: bool,
        started: bool,
        out: io::StdoutLock<'static>,
    },
    Keep(Vec<Value>),
}

impl Sink {
    fn item(&mut self, item: Value) -> Result<()> {
        match self {
            Sink::Keep(items) => items.push(item),
            Sink::Stream {
                pretty,
                started,
                out,
            } => {
                let text = if *pretty {
                    // Indented one level, as the array's element; JSON strings hold no
                    // raw line breaks, so indenting line by line is exact.
                    let text = serde_json::to_string_pretty(&item)?;
                    let text = redact::json(&text);
                    format!("  {}", text.replace('\n', "\n  "))
                } else {
                    serde_json::to_string(&item)?
                };
                let separator: &[u8] = match (*started, *pretty) {
                    (false, true) => b"[\n",
                    (false, false) => b"[",
                    (true, true) => b",\n",
                    (true, false) => b",",
                };
                out.write_all(separator)?;
                out.write_all(text.as_bytes())?;
                *started = true;
            }
        }
        Ok(())
    }

    /// Close the array (also after a failed page: stdout stays valid JSON).
    /// With --jq (`Keep`), the items go through `jq_to`'s filter; `None` after a failed page:
    /// nothing half is filtered.
    fn finish(self, jq_to: Option<&Output>) -> Result<()> {
        match self {
            Sink::Stream {
                pretty,
                started,
                mut out,
            } => {
                let end: &[u8] = match (started, pretty) {
                    (false, _) => b"[]\n",
                    (true, true) => b"\n]\n",
                    (true, false) => b"]\n",
                };
                out.write_all(end)?;
                out.flush()?;
            }
            Sink::Keep(items) => {
                if let Some(output) = jq_to {
                    output.result_json_owned(Value::Array(items))?;
                }
            }
        }
        Ok(())
    }
}

/// GET every page of `request`; the array on stdout, the first failure as the error.
/// With `--jq`, at most `keep` bytes of pages are kept for the filter (exit 1 past it).
pub(super) async fn run(
    client: &Client<'_>,
    request: Request,
    (size, first_skip): (u64, u64),
    keep: u64,
    auth: &Auth<'_>,
    out: &Output,
) -> Result<()> {
    if request.method != Method::GET {
        return Err(Error::new(
            Exit::Usage,
            format!("--paginate is for GET, not {}", request.method),
        )
        .hint("drop -X, or --paginate")
        .into());
    }
    crate::sys::stdout_open()?;
    let mut sink = if out.jq().is_some() {
        Sink::Keep(Vec::new())
    } else {
        Sink::Stream {
            pretty: io::stdout().is_terminal(),
            started: false,
            out: io::stdout().lock(),
        }
    };
    let walk = Walk {
        size,
        first_skip,
        keep,
    };
    let result = pages(client, &request, &walk, auth, out, &mut sink).await;
    match result {
        Ok(()) => sink.finish(Some(out)),
        Err(e) => {
            // The items so far stay a valid array; with --jq, nothing half is filtered.
            let _ = sink.finish(None);
            Err(e)
        }
    }
}

/// The shape of a walk: page size, first skip, the bytes `--jq` may keep.
struct Walk {
    size: u64,
    first_skip: u64,
    keep: u64,
}

async fn pages(
    client: &Client<'_>,
    request: &Request,
    walk: &Walk,
    auth: &Auth<'_>,
    out: &Output,
    sink: &mut Sink,
) -> Result<()> {
    let size = walk.size;
    let mut skip = walk.first_skip;
    let mut seen = Seen::default();
    let mut kept: u64 = 0;
    for number in 1.. {
        out.verbose(&format!("page {number}: limit {size}, skip {skip}"));
        let body = fetch(client, request, walk, auth, number, skip).await?;
        if matches!(sink, Sink::Keep(_)) {
            kept += body.len() as u64;
            if kept > walk.keep {
                return Err(Error::new(
                    Exit::Failure,
                    format!(
                        "stopped at page {number}: --jq keeps every page for the filter, and the pages passed --max-mib {} MiB",
                        walk.keep >> 20
                    ),
                )
                .hint("raise --max-mib, or drop --jq and filter the streamed array (saymon api … --paginate | jq …)")
                .into());
            }
        }
        let items = items_of(number, skip, &body)?;
        let received = items.len() as u64;
        let Some((items, again)) = seen.take(items, &body) else {
            return Err(Error::new(
                Exit::Failure,
                format!(
                    "page {number} (skip {skip}) holds items of earlier pages: the server repeats items: it ignores skip, so --paginate stops instead of looping"
                ),
            )
            .hint("this endpoint does not page with limit/skip: drop --paginate")
            .into());
        };
        if again > 0 {
            out.warn(&format!(
                "page {number} (skip {skip}) brought {again} items of earlier pages again (the list changed during the walk); each is printed once"
            ));
        }
        for item in items {
            sink.item(item)?;
        }
        out.verbose(&format!("page {number}: {received} items"));
        if received < size {
            return Ok(());
        }
        skip += received;
    }
    Ok(())
}

/// Page `number` (1-based) of the walk, at `skip`: its body, read whole up to
/// `MAX_PAGE` bytes. When --timeout ends the walk after its first page, the error says how
/// far it got.
async fn fetch(
    client: &Client<'_>,
    request: &Request,
    walk: &Walk,
    auth: &Auth<'_>,
    number: u64,
    skip: u64,
) -> Result<Vec<u8>> {
    let page = Request {
        method: Method::GET,
        url: page_url(&request.url, walk.size, skip),
        headers: request.headers.clone(),
        body: None,
    };
    let out_of_time = |e: anyhow::Error| {
        if number > 1 && client.out_of_time() {
            Error::new(
                Exit::Unreachable,
                format!(
                    "stopped after {} pages ({} items): --timeout ({} s) covers the whole walk",
                    number - 1,
                    skip - walk.first_skip,
                    client.timeout().as_secs()
                ),
            )
            .hint(
                "raise --timeout for a long walk, or narrow the query (a filter, a smaller range)",
            )
            .into()
        } else {
            e
        }
    };
    let response = client.execute(&page, auth).await.map_err(out_of_time)?;
    client
        .read_page(response, MAX_PAGE)
        .await
        .map_err(out_of_time)
        .map_err(|e| e.context(format!("page {number} (skip {skip})")))
}

/// The items of page `number`: exit 1 for anything but a JSON array (nested no deeper
/// than `--jq` reads).
fn items_of(number: u64, skip: u64, body: &[u8]) -> Result<Vec<Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(other) => Err(not_a_list(number, skip, crate::response::json_kind(&other))),
        Err(e) if crate::json::too_deep(&e) => Err(Error::new(
            Exit::Failure,
            format!(
                "page {number} (skip {skip}) is JSON nested deeper than {} levels: saymon reads no deeper",
                crate::json::MAX_DEPTH
            ),
        )
        .hint("SAYMON's lists are a few levels deep: is --server the SAYMON server itself?")
        .into()),
        Err(_) => Err(not_a_list(number, skip, &crate::response::describe_body(body))),
    }
}

/// What a walk has seen: the items' `id`s, and a hash of each page without any.
#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    pages: HashSet<u64>,
}

impl Seen {
    /// Take in a page (its items and its bytes): the items to print (those with an `id`
    /// seen before left out) and how many were left out; `None` when the page brings
    /// nothing new (every item's `id` seen, or, without `id`s, the same bytes as an
    /// earlier page).
    fn take(&mut self, items: Vec<Value>, body: &[u8]) -> Option<(Vec<Value>, usize)> {
        if items.is_empty() {
            return Some((items, 0));
        }
        let id = |item: &Value| {
            item.get("id")
                .filter(|id| id.is_string() || id.is_number())
                .map(Value::to_string)
        };
        if !items.iter().any(|item| id(item).is_some()) {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            body.hash(&mut hasher);
            return self.pages.insert(hasher.finish()).then_some((items, 0));
        }
        let total = items.len();
        let new: Vec<Value> = items
            .into_iter()
            .filter(|item| id(item).is_none_or(|id| self.ids.insert(id)))
            .collect();
        let again = total - new.len();
        (again < total).then_some((new, again))
    }
}

fn not_a_list(number: u64, skip: u64, what: &str) -> anyhow::Error {
    Error::new(
        Exit::Failure,
        format!("page {number} (skip {skip}) is {what}, not a JSON array: this endpoint does not answer a list"),
    )
    .hint("--paginate is for list endpoints (incidents, history, users, …): drop it here")
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(url: &str, page_size: Option<u32>) -> (String, u64, u64) {
        let mut url = Url::parse(url).unwrap();
        let (size, skip) = plan(&mut url, page_size).unwrap();
        (url.to_string(), size, skip)
    }

    #[test]
    fn the_page_size_comes_from_the_flag_the_limit_or_100() {
        let base = "https://h/node/api/incidents";
        assert_eq!(planned(base, None), (base.to_string(), 100, 0));
        assert_eq!(planned(base, Some(7)), (base.to_string(), 7, 0));
        assert_eq!(
            planned(&format!("{base}?limit=20&state=1&skip=40"), None),
            (format!("{base}?state=1"), 20, 40)
        );
        assert_eq!(
            planned(&format!("{base}?limit=20"), Some(5)).1,
            5,
            "--page-size wins"
        );
        let mut url = Url::parse(&format!("{base}?limit=ten")).unwrap();
        assert!(plan(&mut url, None).is_err());
        let mut url = Url::parse(&format!("{base}?limit=0")).unwrap();
        assert!(plan(&mut url, None).is_err());
    }

    #[test]
    fn pages_carry_limit_and_skip() {
        let base = Url::parse("https://h/node/api/incidents?state=1").unwrap();
        assert_eq!(
            page_url(&base, 100, 200).as_str(),
            "https://h/node/api/incidents?state=1&limit=100&skip=200"
        );
    }
}
