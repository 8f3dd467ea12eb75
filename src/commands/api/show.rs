//! `api --dry-run` and `api --curl`: the request `api` would send, shown instead of sent.
//! Neither reads the token: --dry-run shows `api-token=***`, and the curl line reads
//! `$SAYMON_TOKEN` when it runs (`saymon exec` sets it).

use std::path::Path;

use anyhow::Result;
use reqwest::Method;
use serde_json::{Value, json};

use crate::cli::ApiArgs;
use crate::client::{Request, Tls};
use crate::credentials::Session;
use crate::error::{Error, Exit};

/// Headers whose values hold a password or a session: never shown.
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// The request as text: the method and URL (`api-token=***`), the headers saymon sets, a
/// blank line and the body (as it is, or its size when it is not text). With `--output
/// json`: `{method, url, headers: [{name, value}], body}` (`body` null without one, a
/// string when it is text, else `{"bytes": N}`). Sends nothing; exit 0.
pub fn dry_run(session: &Session<'_>, request: &Request) -> Result<()> {
    let mut url = request.url.clone();
    url.query_pairs_mut().append_pair("api-token", "***");
    // As -v shows it: any api-token and the URL's user and password masked.
    let url = crate::redact::url(&url);
    let mut headers = vec![(
        "User-Agent".to_string(),
        concat!("saymon/", env!("CARGO_PKG_VERSION")).to_string(),
    )];
    for (name, value) in &request.headers {
        let value = if SECRET_HEADERS.contains(&name.as_str()) {
            "[hidden]".to_string()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        headers.push((name.to_string(), value));
    }
    // The body as text, or its size when it is not plain text.
    let body = request
        .body
        .as_deref()
        .map(|b| plain_text(b).ok_or(b.len()));
    if session.out.json() {
        let headers: Vec<Value> = headers
            .iter()
            .map(|(name, value)| json!({ "name": name, "value": value }))
            .collect();
        let body = match body {
            None => Value::Null,
            Some(Ok(text)) => Value::String(text.to_string()),
            Some(Err(bytes)) => json!({ "bytes": bytes }),
        };
        return session.out.result_json(&json!({
            "method": request.method.as_str(),
            "url": url,
            "headers": headers,
            "body": body,
        }));
    }
    let mut shown = format!("{} {url}\n", request.method);
    for (name, value) in &headers {
        shown.push_str(&format!("{name}: {}\n", crate::redact::inline(value)));
    }
    match body {
        None => {}
        Some(Ok(text)) => shown.push_str(&format!("\n{text}\n")),
        Some(Err(bytes)) => {
            shown.push_str(&format!("\n[{bytes} bytes that are not text: not shown]\n"))
        }
    }
    session.out.result(shown.trim_end())?;
    Ok(())
}

/// One line of sh that sends the same request with curl: the token from `$SAYMON_TOKEN`
/// as it runs, given to curl on its stdin as its config (`-K -`), so that it is in no
/// process's arguments; the TLS files in force (`--cacert "$SAYMON_CA_CERT"` when that
/// variable names the CA, else the file's path); the body from the same file (`-d @FILE`)
/// or inline. Every word is quoted for sh (shlex). Exit 2 for a body that cannot be
/// inlined (stdin holding a NUL or control characters: give it as -d @FILE).
pub fn curl(args: &ApiArgs, session: &Session<'_>, request: &Request, tls: &Tls) -> Result<()> {
    let mut words: Vec<String> = vec!["curl".into(), "-sS".into(), "--globoff".into()];
    words.extend(method_words(request));
    words.extend(body_words(args, request)?);
    words.extend(tls_words(tls)?);
    words.extend(["-K".into(), "-".into()]);
    // curl's config on its stdin: the URL (with the token) and the headers (an
    // Authorization among them), so that none of them is in a process's arguments; printf
    // is the shell's own. Inside its double quotes curl reads backslash escapes.
    let separator = if request.url.query().is_some() {
        '&'
    } else {
        '?'
    };
    let url = format!("{}{separator}api-token=", request.url);
    let mut format = String::from(r#"url = "%s"\n"#);
    let mut values = vec![format!(
        r#"{}"$SAYMON_TOKEN""#,
        quote(&config_escaped(&url))?
    )];
    for (name, value) in &request.headers {
        let header = format!("{name}: {}", String::from_utf8_lossy(value.as_bytes()));
        format.push_str(r#"header = "%s"\n"#);
        values.push(quote(&config_escaped(&header))?);
    }
    let line = format!(
        "printf '{format}' {} | {}",
        values.join(" "),
        words.join(" ")
    );
    if session.out.json() {
        return session.out.result_json(&json!({ "curl": line }));
    }
    session.out.result(&line)?;
    Ok(())
}

/// `text` inside double quotes of curl's config: backslash and quote escaped.
fn config_escaped(text: &str) -> String {
    text.replace('\\', r"\\").replace('"', r#"\""#)
}

/// `-X METHOD` (or `--head`) where curl would not infer the method itself.
fn method_words(request: &Request) -> Vec<String> {
    let inferred = if request.body.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    match &request.method {
        m if *m == Method::HEAD => vec!["--head".into()],
        m if *m == inferred => Vec::new(),
        m => vec!["-X".into(), m.as_str().into()],
    }
}

/// The body as curl's `--data-binary`: `@FILE` for a body from a file, else the bytes
/// inline (text without control characters only).
fn body_words(args: &ApiArgs, request: &Request) -> Result<Vec<String>> {
    let Some(body) = &request.body else {
        return Ok(Vec::new());
    };
    if let Some(path) = args.data.as_deref().and_then(|d| d.strip_prefix('@'))
        && path != "-"
    {
        let path = std::path::absolute(Path::new(path))?;
        return Ok(vec![
            "--data-binary".into(),
            quote(&format!("@{}", path.to_string_lossy()))?,
        ]);
    }
    let text = plain_text(body).ok_or_else(|| {
            Error::new(
                Exit::Usage,
                "the body is not plain text (it holds control characters or is not UTF-8): it cannot be put on a command line",
            )
            .hint("save it to a file and pass -d @FILE: the curl line then reads the same file")
        })?;
    Ok(vec!["--data-binary".into(), quote(text)?])
}

/// `--cacert`, `--cert`, `--key`, `--insecure` for the TLS settings in force.
fn tls_words(tls: &Tls) -> Result<Vec<String>> {
    let mut words = Vec::new();
    if let Some(ca) = &tls.ca_cert {
        let from_env = std::env::var_os("SAYMON_CA_CERT").is_some_and(|v| Path::new(&v) == ca);
        words.push("--cacert".into());
        words.push(if from_env {
            "\"$SAYMON_CA_CERT\"".into()
        } else {
            quote(&std::path::absolute(ca)?.to_string_lossy())?
        });
    }
    for (flag, file) in [("--cert", &tls.client_cert), ("--key", &tls.client_key)] {
        if let Some(file) = file {
            words.push(flag.into());
            words.push(quote(&std::path::absolute(file)?.to_string_lossy())?);
        }
    }
    if tls.insecure {
        words.push("--insecure".into());
    }
    Ok(words)
}

/// `body` as text, when it is UTF-8 without a control character but tab, newline and
/// carriage return (shown at a terminal or pasted into one, any other could drive it).
fn plain_text(body: &[u8]) -> Option<&str> {
    std::str::from_utf8(body).ok().filter(|text| {
        !text
            .chars()
            .any(|c| crate::redact::is_unsafe(c) && !matches!(c, '\t' | '\n' | '\r'))
    })
}

/// `word` quoted for sh; exit 2 for a NUL, which no shell word can hold.
fn quote(word: &str) -> Result<String> {
    shlex::try_quote(word).map(|q| q.into_owned()).map_err(|_| {
        Error::new(Exit::Usage, "a NUL byte cannot be put on a command line")
            .hint("save the body to a file and pass -d @FILE")
            .into()
    })
}
