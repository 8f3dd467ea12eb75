//! `api --dry-run` and `api --curl`: the request `api` would send, shown instead of sent.
//! Neither reads the token: --dry-run shows `api-token=***`, and the curl line reads
//! `$SAYMON_TOKEN` when it runs (`saymon exec` sets it).

use std::path::Path;

use anyhow::Result;
use reqwest::Method;
use serde_json::{Value, json};

use super::ApiArgs;
use crate::client::{Request, Tls};
use crate::credentials::Session;
use crate::error::{Error, Exit};

/// Headers whose values hold a password or a session: never shown.
const SECRET_HEADERS: &[&str] = &["authorization", "proxy-authorization", "cookie"];

/// The request as text: the method and URL (`api-token=***`), the headers saymon sets, a
/// blank line and the body (as it is, or its size when it is not text). With `--output
/// json`: `{method, url, headers: [{name, value}], body}` (`body` null without one, a
/// string when it is text, else `{"bytes": N}`). Sends nothing; exit 0.
pub(super) fn dry_run(session: &Session<'_>, request: &Request) -> Result<()> {
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

/// The longest word a Linux `execve` takes (`MAX_ARG_STRLEN`, 32 pages, its NUL
/// included): the whole line is one word of `sh -c LINE` (as under `saymon exec`).
const MAX_WORD: usize = 128 << 10;

/// The longest line curl reads in a config file (curl 7.x: 100 KiB; a longer one fails
/// with "error encountered when reading a file"): each of the url, header and data-raw
/// lines given on its stdin must fit.
const MAX_CONFIG_LINE: usize = 100 << 10;

/// One line of sh that sends the same request with curl: the token from `$SAYMON_TOKEN`
/// as it runs, given to curl on its stdin as its config (`-K -`), so that it is in no
/// process's arguments; the TLS files in force (`--cacert "$SAYMON_CA_CERT"` when that
/// variable names the CA, else the file's path); the body from the same file (`-d @FILE`),
/// or inline in the config as `data-raw` (never read as a file name, whatever it starts
/// with). Every word is quoted for sh (shlex), and the line holds no control character.
/// Exit 2 for a body that cannot be inlined (not UTF-8, or control characters other than
/// tab, newline, carriage return and vertical tab: give it as -d @FILE), and for a line
/// longer than one argument may be (128 KiB on Linux), which `sh -c` could never run.
pub(super) fn curl(
    args: &ApiArgs,
    session: &Session<'_>,
    request: &Request,
    tls: &Tls,
) -> Result<()> {
    let line = curl_line(args, request, tls)?;
    if session.out.json() {
        return session.out.result_json(&json!({ "curl": line }));
    }
    session.out.result(&line)?;
    Ok(())
}

/// The line `curl` prints (see there).
fn curl_line(args: &ApiArgs, request: &Request, tls: &Tls) -> Result<String> {
    let mut words: Vec<String> = vec!["curl".into(), "-sS".into(), "--globoff".into()];
    words.extend(method_words(request)?);
    // curl's config on its stdin: the URL (with the token), the headers (an Authorization
    // among them) and an inline body, so that none of them is in a process's arguments;
    // printf is the shell's own. Inside its double quotes curl reads backslash escapes.
    let separator = if request.url.query().is_some() {
        '&'
    } else {
        '?'
    };
    // A #fragment is never sent (api drops it too); left in, it would swallow the token.
    let mut sent = request.url.clone();
    sent.set_fragment(None);
    let url = format!("{sent}{separator}api-token=");
    let mut format = String::from(r#"url = "%s"\n"#);
    let mut values = vec![format!(
        r#"{}"$SAYMON_TOKEN""#,
        quote(&config_escaped(&url))?
    )];
    for (name, value) in &request.headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        // `Name:` with nothing after it tells curl to drop the header; `Name;` sends it empty.
        let header = match value.is_empty() {
            true => format!("{name};"),
            false => format!("{name}: {value}"),
        };
        format.push_str(r#"header = "%s"\n"#);
        values.push(quote(&config_escaped(&header))?);
    }
    let inline = body_words(args, request, &mut words)?;
    if let Some(text) = inline {
        let escaped = config_escaped(text);
        if escaped.len() + r#"data-raw = """#.len() >= MAX_CONFIG_LINE {
            return Err(Error::new(
                Exit::Usage,
                format!(
                    "the body would be a line of {} KiB in curl's config, longer than curl reads ({} KiB)",
                    escaped.len().div_ceil(1024),
                    MAX_CONFIG_LINE >> 10
                ),
            )
            .hint("save the body to a file and pass -d @FILE: the curl line then reads the same file")
            .into());
        }
        format.push_str(r#"data-raw = "%s"\n"#);
        values.push(quote(&escaped)?);
    }
    words.extend(tls_words(tls)?);
    words.extend(["-K".into(), "-".into()]);
    let line = format!(
        "printf '{format}' {} | {}",
        values.join(" "),
        words.join(" ")
    );
    if line.len() >= MAX_WORD {
        let hint = match inline {
            Some(_) => {
                "save the body to a file and pass -d @FILE: the curl line then reads the same file"
            }
            None => {
                "shorten the path, the query or the headers: `sh -c` takes the line as one argument"
            }
        };
        return Err(Error::new(
            Exit::Usage,
            format!(
                "the curl line would be {} KiB, longer than one command-line argument may be ({} KiB): `sh -c` could not run it",
                line.len().div_ceil(1024),
                MAX_WORD >> 10
            ),
        )
        .hint(hint)
        .into());
    }
    Ok(line)
}

/// `text` inside double quotes of curl's config, on one line: backslash and quote
/// escaped, and the control characters curl's config knows (tab, newline, carriage
/// return, vertical tab) written as its escapes.
fn config_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            '"' => out.push_str(r#"\""#),
            '\t' => out.push_str(r"\t"),
            '\n' => out.push_str(r"\n"),
            '\r' => out.push_str(r"\r"),
            '\u{b}' => out.push_str(r"\v"),
            c => out.push(c),
        }
    }
    out
}

/// `-X METHOD` (or `--head`) where curl would not infer the method itself, quoted.
fn method_words(request: &Request) -> Result<Vec<String>> {
    let inferred = if request.body.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    Ok(match &request.method {
        m if *m == Method::HEAD && request.body.is_none() => vec!["--head".into()],
        m if *m == inferred => Vec::new(),
        m => vec!["-X".into(), quote(m.as_str())?],
    })
}

/// The body: `--data-binary @FILE` among `words` for a body from a file (curl reads the
/// same file); else the text to inline (UTF-8, with no control character curl's config
/// cannot write), or exit 2.
fn body_words<'r>(
    args: &ApiArgs,
    request: &'r Request,
    words: &mut Vec<String>,
) -> Result<Option<&'r str>> {
    let Some(body) = &request.body else {
        return Ok(None);
    };
    if let Some(path) = args.data.as_deref().and_then(|d| d.strip_prefix('@'))
        && path != "-"
    {
        let path = std::path::absolute(Path::new(path))?;
        words.push("--data-binary".into());
        words.push(quote(&format!("@{}", path.to_string_lossy()))?);
        return Ok(None);
    }
    let text = std::str::from_utf8(body)
        .ok()
        .filter(|text| {
            !text.chars().any(|c| {
                crate::redact::is_unsafe(c) && !matches!(c, '\t' | '\n' | '\r' | '\u{b}')
            })
        })
        .ok_or_else(|| {
            Error::new(
                Exit::Usage,
                "the body is not plain text (it holds control characters or is not UTF-8): it cannot be put on a command line",
            )
            .hint("save it to a file and pass -d @FILE: the curl line then reads the same file")
        })?;
    Ok(Some(text))
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
    // A control character in a word (a file name with ESC or a new line) would be shown
    // escaped as text, or split the line: the line would then name another file.
    if word.chars().any(crate::redact::is_unsafe) {
        return Err(Error::new(
            Exit::Usage,
            format!(
                "{} holds control characters: it cannot be written into a one-line command",
                crate::redact::inline(word)
            ),
        )
        .hint("rename the file (or give the body on stdin: -d @-)")
        .into());
    }
    shlex::try_quote(word).map(|q| q.into_owned()).map_err(|_| {
        Error::new(Exit::Usage, "a NUL byte cannot be put on a command line")
            .hint("save the body to a file and pass -d @FILE")
            .into()
    })
}
