//! `api --paginate`: SAYMON's list endpoints page with `limit` and `skip` and answer a bare
//! JSON array (no total). Pages are asked for in order, `skip` advancing by the items
//! received, until one is shorter than the page size. The items are written as one JSON
//! array as pages arrive, so memory holds one page; with `--jq`, the whole array is
//! filtered at the end (what `gh api --paginate --jq` cannot do).

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use reqwest::{Method, Url};
use serde_json::Value;

use crate::client::{Auth, Client, Request};
use crate::error::{Error, Exit};
use crate::output::Output;
use crate::redact;

/// The default page size, when neither --page-size nor a `limit` says.
pub const DEFAULT_PAGE_SIZE: u64 = 100;
/// The most a page may hold, in bytes: memory stays bounded by one page.
const MAX_PAGE: usize = 64 << 20;

/// The page size and the first `skip`: --page-size, else the request's own `limit`, else
/// 100; the request's `skip`, else 0. Both are taken out of the URL, to be set per page.
pub fn plan(url: &mut Url, page_size: Option<u32>) -> Result<(u64, u64)> {
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

fn page_url(base: &Url, size: u64, skip: u64) -> Url {
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
                    output.result_json(&Value::Array(items))?;
                }
            }
        }
        Ok(())
    }
}

/// GET every page of `request`; the array on stdout, the first failure as the error.
pub async fn run(
    client: &Client<'_>,
    request: Request,
    (size, first_skip): (u64, u64),
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
    crate::output::stdout_open()?;
    let mut sink = if out.jq().is_some() {
        Sink::Keep(Vec::new())
    } else {
        Sink::Stream {
            pretty: io::stdout().is_terminal(),
            started: false,
            out: io::stdout().lock(),
        }
    };
    let result = pages(client, &request, (size, first_skip), auth, out, &mut sink).await;
    match result {
        Ok(()) => sink.finish(Some(out)),
        Err(e) => {
            // The items so far stay a valid array; with --jq, nothing half is filtered.
            let _ = sink.finish(None);
            Err(e)
        }
    }
}

async fn pages(
    client: &Client<'_>,
    request: &Request,
    (size, first_skip): (u64, u64),
    auth: &Auth<'_>,
    out: &Output,
    sink: &mut Sink,
) -> Result<()> {
    let mut skip = first_skip;
    let mut previous: Option<Vec<u8>> = None;
    for number in 1.. {
        let page = Request {
            method: Method::GET,
            url: page_url(&request.url, size, skip),
            headers: request.headers.clone(),
            body: None,
        };
        out.verbose(&format!("page {number}: limit {size}, skip {skip}"));
        let response = client.execute(&page, auth).await?;
        let body = client
            .read_page(response, MAX_PAGE)
            .await
            .map_err(|e| e.context(format!("page {number} (skip {skip})")))?;
        let items = match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Array(items)) => items,
            Ok(other) => {
                return Err(not_a_list(number, skip, crate::answer::json_kind(&other)));
            }
            Err(_) => {
                return Err(not_a_list(
                    number,
                    skip,
                    &crate::answer::describe_body(&body),
                ));
            }
        };
        if !items.is_empty() && previous.as_deref() == Some(&body[..]) {
            return Err(Error::new(
                Exit::Failure,
                format!(
                    "page {number} (skip {skip}) is the same as the page before: the server ignores skip, so --paginate stops instead of looping"
                ),
            )
            .hint("this endpoint does not page with limit/skip: drop --paginate")
            .into());
        }
        let received = items.len() as u64;
        for item in items {
            sink.item(item)?;
        }
        out.verbose(&format!("page {number}: {received} items"));
        if received < size {
            return Ok(());
        }
        skip += received;
        previous = Some(body);
    }
    Ok(())
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
