//! `saymon api PATH`: any authenticated request, the response body streamed to stdout.

use std::io::{self, Read};

use anyhow::{Context, Result};
use clap::Args;
use reqwest::Method;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use crate::client::{Auth, Request};
use crate::credentials::Session;
use crate::error::{Error, Exit, ServerError};
use crate::response::parse_error_body;
use crate::store::TokenSource;

mod paginate;
mod print;
mod show;

#[derive(Debug, Args)]
pub struct ApiArgs {
    /// API path (objects, /objects, /node/api/objects), with any query; or a full URL on
    /// the profile's server
    #[arg(value_name = "PATH")]
    pub path: String,

    /// HTTP method [default: POST with a body or fields, else GET]
    #[arg(short = 'X', long = "method", value_name = "METHOD")]
    pub method: Option<String>,

    /// Request body: JSON text, @FILE, or @- for stdin (sent as application/json unless
    /// -H sets a Content-Type)
    #[arg(short = 'd', long = "data", value_name = "DATA", conflicts_with_all = ["raw_fields", "fields"])]
    pub data: Option<String>,

    /// A string field: part of a JSON object body (POST, PUT, PATCH) or a query
    /// parameter (GET, DELETE)
    #[arg(short = 'f', long = "raw-field", value_name = "KEY=VALUE")]
    pub raw_fields: Vec<String>,

    /// A typed field: true, false, null and numbers become JSON values; @FILE reads the
    /// value from a file
    #[arg(short = 'F', long = "field", value_name = "KEY=VALUE")]
    pub fields: Vec<String>,

    /// An extra request header
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,

    /// Print the status line and response headers before the body
    #[arg(short = 'i', long = "include")]
    pub include: bool,

    /// Print the body exactly as received, also at a terminal
    #[arg(long)]
    pub raw: bool,

    /// GET every page (`limit` and `skip`, advancing skip by the items received, until a
    /// page is shorter than the page size) and print one JSON array of all items, written
    /// as pages arrive. If a page fails, the array so far is closed (stdout stays valid
    /// JSON) and the exit code is that page's: scripts must check it. A page size above
    /// the server's own cap ends early: keep it at or below that cap
    #[arg(long, conflicts_with_all = ["data", "include", "raw"])]
    pub paginate: bool,

    /// Print the request that would be sent (method, URL with api-token=***, headers,
    /// body), and send nothing
    #[arg(long, conflicts_with_all = ["curl", "include", "raw"])]
    pub dry_run: bool,

    /// Print one curl command line that sends the same request, reading the token from
    /// $SAYMON_TOKEN when it runs (under `saymon exec`), and send nothing
    #[arg(long, conflicts_with_all = ["paginate", "include", "raw"])]
    pub curl: bool,

    /// Items per page for --paginate [default: a `limit` in PATH or -F, else 100]
    #[arg(long, value_name = "N", requires = "paginate",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub page_size: Option<u32>,
}

pub(crate) async fn run(args: &ApiArgs, session: &Session<'_>) -> Result<()> {
    if args.include && session.out.jq().is_some() {
        return Err(
            Error::new(Exit::Usage, "-i and --jq cannot be used together")
                .hint("--jq prints only JSON on stdout: drop -i, or --jq")
                .into(),
        );
    }
    // What cannot be sent is said before anything is read: the token, the server, a body.
    let method = parse_method(args.method.as_deref())?;
    let headers = parse_headers(&args.headers)?;
    // A preview reads no token; a request's missing token is said before its server.
    let preview = args.dry_run || args.curl;
    let token = if preview {
        None
    } else {
        Some(session.token()?)
    };
    let server = session.selected.require_server()?;
    let mut request = build_request(args, method, headers, &server)?;
    // --paginate's first page, as --dry-run shows it.
    let paginate_plan = match args.paginate {
        true => Some(paginate::plan(&mut request.url, args.page_size)?),
        false => None,
    };
    if args.dry_run {
        if let Some((size, skip)) = paginate_plan {
            request.url = paginate::page_url(&request.url, size, skip);
            session.out.note(&format!(
                "--paginate: this is the first page; the next ones follow with skip advanced by the items received, until a page has fewer than {size}"
            ));
        }
        return show::dry_run(session, &request);
    }
    if args.curl {
        return show::curl(args, session, &request, &session.connect().tls(&server));
    }
    let (token, source) = token.expect("a request that is sent has its token");
    let client = session.connect().client(&server)?;
    let auth = Auth::Token(&token);
    if let Some(plan) = paginate_plan {
        let keep = u64::from(session.settings.max_mib) << 20;
        return paginate::run(&client, request, plan, keep, &auth, session.out)
            .await
            .map_err(|e| status_error(e, &source, session));
    }
    let response = client.execute(&request, &auth).await?;
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    // A redirect that comes back was not followed (another origin, or a loop): say why.
    // A 3xx without a Location (304 Not Modified) is an answer like another.
    let redirect = (status.is_redirection()
        && response.headers().contains_key(reqwest::header::LOCATION))
    .then(|| client.unfollowed_redirect(&response));
    let head = print::answer(args, session, &client, response, &content_type).await?;
    if status.is_success() {
        return Ok(());
    }
    if let Some(redirect) = redirect {
        return Err(redirect);
    }
    let err = parse_error_body(status, &content_type, &head);
    Err(status_error(err.into(), &source, session))
}

/// `-X METHOD`, upper-cased: an HTTP token (RFC 9110: letters, digits and
/// ``!#$%&'*+-.^_`|~``), else exit 2. None without -X.
pub(crate) fn parse_method(method: Option<&str>) -> Result<Option<Method>> {
    let Some(m) = method else {
        return Ok(None);
    };
    // http's `Method` takes exactly the token characters, and at least one.
    Method::from_bytes(m.to_ascii_uppercase().as_bytes())
        .map(Some)
        .map_err(|_| {
            Error::new(
                Exit::Usage,
                format!(
                    "invalid HTTP method {:?}: a method is letters, digits and !#$%&'*+-.^_`|~",
                    crate::redact::server_text(m, 60)
                ),
            )
            .hint("-X takes a method such as GET, POST, PUT, PATCH or DELETE")
            .into()
        })
}

/// The request `args` asks for on `server`: its method (`method`, from -X, else POST with
/// a body or fields, else GET), the fields as a query (GET, DELETE, HEAD) or a JSON body,
/// the `headers` (with a JSON Content-Type for a body, unless one is given). Exit 2 for a
/// field or body file that cannot be.
fn build_request(
    args: &ApiArgs,
    method: Option<Method>,
    mut headers: Vec<(HeaderName, HeaderValue)>,
    server: &crate::server::ServerUrl,
) -> Result<Request> {
    let mut url = server.resolve(&args.path)?;
    let fields = parse_fields(args)?;
    let body_given = args.data.is_some();
    let method = match method {
        Some(m) => m,
        // --paginate walks a list: its -f/-F fields are query parameters, as for any GET.
        None if args.paginate => Method::GET,
        None if body_given || !fields.is_empty() => Method::POST,
        None => Method::GET,
    };
    let body = if let Some(data) = &args.data {
        Some(read_data(data)?)
    } else if fields.is_empty() {
        None
    } else if matches!(method, Method::GET | Method::DELETE | Method::HEAD) {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in &fields {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            pairs.append_pair(key, &text);
        }
        drop(pairs);
        None
    } else {
        let object: Map<String, Value> = fields.into_iter().collect();
        Some(serde_json::to_vec(&Value::Object(object))?)
    };
    if body.is_some() && !headers.iter().any(|(name, _)| name == CONTENT_TYPE) {
        headers.push((CONTENT_TYPE, HeaderValue::from_static("application/json")));
    }
    // An empty body is still a body (RFC 9110 8.6): say its length, as curl does; hyper
    // sends no Content-Length for an empty one.
    if body.as_ref().is_some_and(Vec::is_empty)
        && !headers.iter().any(|(name, _)| name == CONTENT_LENGTH)
    {
        headers.push((CONTENT_LENGTH, HeaderValue::from_static("0")));
    }
    Ok(Request {
        method,
        url,
        headers,
        body,
    })
}

/// A server's error answer as `api` exits with it: 4 for 401/403 (with the hint that fits
/// the token's source), 6 for another 4xx, 1 for 5xx. Any other error passes unchanged.
fn status_error(err: anyhow::Error, source: &TokenSource, session: &Session<'_>) -> anyhow::Error {
    let Some(server_error) = err.chain().find_map(|e| e.downcast_ref::<ServerError>()) else {
        return err;
    };
    let exit = match server_error.status.as_u16() {
        401 | 403 => Exit::Rejected,
        400..=499 => Exit::ClientError,
        _ => Exit::Failure,
    };
    let mut error = Error::new(exit, format!("{err:#}"));
    if let Some(hint) = &server_error.hint {
        error = error.hint(hint.clone());
    } else if server_error.status.as_u16() == 404 {
        error = error.hint(
            "check the path and the id in it: paths are under /node/api (objects, objects/ID, incidents, …)",
        );
    }
    if server_error.is_rejection() {
        error = error.hint(match source {
            _ if source.is_given() => format!(
                "{}; or the user lacks the permission the message names",
                crate::credentials::given_token_refused(source)
            ),
            _ => format!(
                "the token was refused (replaced or revoked?), or the user lacks the permission the message names; `saymon whoami{}` tells which",
                session.selected.profile_flag()
            ),
        });
    }
    error.into()
}

/// `-f key=value` (strings) and `-F key=value` (typed), in that order.
fn parse_fields(args: &ApiArgs) -> Result<Vec<(String, Value)>> {
    let mut fields = Vec::new();
    for raw in &args.raw_fields {
        let (key, value) = split_field(raw)?;
        fields.push((key.to_string(), Value::String(value.to_string())));
    }
    for typed in &args.fields {
        let (key, value) = split_field(typed)?;
        fields.push((key.to_string(), typed_value(value)?));
    }
    Ok(fields)
}

/// `KEY=VALUE`, the key not empty.
pub fn split_field(field: &str) -> Result<(&str, &str)> {
    match field.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok((key, value)),
        _ => Err(Error::new(
            Exit::Usage,
            format!("invalid field {field:?}: expected KEY=VALUE"),
        )
        .into()),
    }
}

/// true, false, null, integers and finite numbers become JSON values; `@FILE` is the
/// file's text; anything else is a string.
pub fn typed_value(value: &str) -> Result<Value> {
    Ok(match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => {
            if let Some(path) = value.strip_prefix('@') {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::new(
                        Exit::Usage,
                        format!("cannot read field value from {path}: {e}"),
                    )
                    .hint("check the path: -F key=@FILE takes the value from FILE")
                })?;
                Value::String(text)
            } else if let Ok(n) = value.parse::<i64>() {
                Value::from(n)
            } else if let Some(n) = value
                .parse::<f64>()
                .ok()
                .filter(|n| {
                    n.is_finite()
                        && value
                            .chars()
                            .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
                })
                .and_then(serde_json::Number::from_f64)
            {
                Value::Number(n)
            } else {
                Value::String(value.to_string())
            }
        }
    })
}

/// `-H "Name: value"` headers; a malformed one is a usage error that quotes it safely.
pub fn parse_headers(headers: &[String]) -> Result<Vec<(HeaderName, HeaderValue)>> {
    headers
        .iter()
        .map(|h| {
            let bad = || {
                Error::new(
                    Exit::Usage,
                    format!(
                        "invalid header {:?}: expected 'Name: value'",
                        crate::redact::server_text(h, 60)
                    ),
                )
            };
            let (name, value) = h.split_once(':').ok_or_else(bad)?;
            let name = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| bad())?;
            let value = HeaderValue::from_str(value.trim()).map_err(|_| bad())?;
            Ok((name, value))
        })
        .collect()
}

/// `-d`: the text itself, `@FILE`, or `@-` for stdin.
fn read_data(data: &str) -> Result<Vec<u8>> {
    match data.strip_prefix('@') {
        Some("-") => {
            let mut body = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut body)
                .context("cannot read the body from stdin")?;
            Ok(body)
        }
        Some(path) => std::fs::read(path).map_err(|e| {
            Error::new(
                Exit::Usage,
                format!("cannot read the body from {path}: {e}"),
            )
            .hint("check the path: -d @FILE sends FILE's contents, -d @- reads stdin")
            .into()
        }),
        None => Ok(data.as_bytes().to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_fields() {
        assert_eq!(typed_value("true").unwrap(), json!(true));
        assert_eq!(typed_value("false").unwrap(), json!(false));
        assert_eq!(typed_value("null").unwrap(), json!(null));
        assert_eq!(typed_value("42").unwrap(), json!(42));
        assert_eq!(typed_value("-7").unwrap(), json!(-7));
        assert_eq!(typed_value("42.5").unwrap(), json!(42.5));
        assert_eq!(typed_value("1e3").unwrap(), json!(1000.0));
        for s in ["abc", "NaN", "inf", "12abc", "", "0x10"] {
            assert_eq!(typed_value(s).unwrap(), json!(s), "{s}");
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("v");
        std::fs::write(&f, "from file").unwrap();
        assert_eq!(
            typed_value(&format!("@{}", f.display())).unwrap(),
            json!("from file")
        );
        assert!(typed_value("@/nonexistent/x").is_err());
    }

    #[test]
    fn fields_and_headers_parse() {
        assert_eq!(split_field("a=b=c").unwrap(), ("a", "b=c"));
        assert!(split_field("=x").is_err());
        assert!(split_field("x").is_err());
        let h = parse_headers(&["X-Trace: 1 2".into()]).unwrap();
        assert_eq!(h[0].0.as_str(), "x-trace");
        assert_eq!(h[0].1, "1 2");
        assert!(parse_headers(&["no colon".into()]).is_err());
        assert!(parse_headers(&["bad name: x".into()]).is_err());
    }
}
