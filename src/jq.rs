//! `--jq EXPR`: jq filters, built in (jaq: a real jq implementation), so that scripts on a
//! monitoring host need no jq. Compiled once before any request, so that a typo is exit 2
//! before anything happens; run on a command's JSON document or an `api` answer.
//!
//! Output as `jq -r` prints it: a string raw, one a line, any other value as compact JSON;
//! with `--output json`, every result as JSON. The process's environment is not readable
//! from a filter (no `env`, no `$ENV`): it may hold SAYMON_PASSWORD and SAYMON_TOKEN.

use std::io::{self, IsTerminal, Write};

use anyhow::Result;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data};
use jaq_json::Val;

use crate::error::{Error, Exit};
use crate::redact;

mod memory;
mod number;
mod overflow;
pub(crate) mod write;

type Data = data::JustLut<Val>;

/// A `--jq` filter: its text, checked by `compile`, and compiled again on jq's own thread
/// for each run (jaq's compiled filter cannot leave the thread it was made on).
pub struct Jq {
    expr: String,
    /// The most memory a run may add, in bytes (`--max-mib`).
    memory: u64,
}

/// A filter compiled, on jq's thread.
struct Compiled {
    filter: jaq_core::Filter<Data>,
    /// The values of the filter's `$__loc__`s, one a line they are on (`locations`).
    locations: Vec<Val>,
}

/// The stack jq runs on: its parser and interpreter recurse, and a filter of a thousand
/// ids (`IN("a", "b", …)`) or a long `a + b + …` needs more than a main thread's 8 MiB in
/// a debug build. Only the pages used are ever touched; a filter that recurses without
/// end still ends (see `overflow`). The rest of saymon runs on the main thread.
const STACK: usize = 256 << 20;

/// `f` on a thread of jq's own with `STACK`, while this one waits; a panic there is one
/// here. Exit 1 when the thread cannot be started.
fn on_jq_thread<'scope, 'env, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    f: impl FnOnce() -> Result<T> + Send + 'scope,
) -> Result<std::thread::ScopedJoinHandle<'scope, Result<T>>> {
    std::thread::Builder::new()
        .name("jq".into())
        .stack_size(STACK)
        .spawn_scoped(scope, f)
        .map_err(|e| {
            Error::new(Exit::Failure, format!("--jq: cannot start its thread: {e}"))
                .hint("the system is short of memory or threads: try again, or drop --jq")
                .into()
        })
}

/// What a thread of jq's gave back, its panic carried on.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The writer a run on jq's thread prints to: chunks sent to the waiting thread, which
/// writes them where the caller asked. A send that fails (the caller stopped reading: its
/// stdout closed) is a broken pipe, as the write itself would have been.
struct Chunks {
    to: std::sync::mpsc::SyncSender<Vec<u8>>,
    pending: Vec<u8>,
}

impl Chunks {
    const SIZE: usize = 64 << 10;

    fn send(&mut self) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        self.to
            .send(std::mem::take(&mut self.pending))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= Self::SIZE {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for Chunks {
    /// What was printed before an error is still printed, as jq does.
    fn drop(&mut self) {
        let _ = self.send();
    }
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

/// saymon's prelude (`jq/prelude.jq`): what jaq's standard library lacks, or does otherwise
/// than jq 1.8, and scripts meet (jq's errors, `range` bounds, `getpath`, regex flags,
/// `sub`/`gsub`, the formats, `IN`/`INDEX`/`JOIN`, ...), defined in jq over jaq's filters.
const PRELUDE: &str = include_str!("jq/prelude.jq");

/// The filters a program may use: jq's standard library, minus `env`.
fn definitions() -> (
    impl Iterator<Item = jaq_core::load::parse::Def<&'static str>>,
    impl Iterator<Item = jaq_core::native::Filter<jaq_core::Native<Data>>>,
) {
    let prelude = jaq_core::load::parse(PRELUDE, |p| p.defs()).expect("the prelude parses");
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .chain(prelude);
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        // env: the environment holds secrets; stderr/debug: jaq's go to a logger nobody
        // installed, ours print escaped lines; tojson: ours writes numbers as jq does.
        .filter(|(name, _, _)| !matches!(*name, "env" | "stderr_empty" | "debug_empty" | "tojson"))
        .chain(natives());
    (defs, funs)
}

/// `name/arity` of every filter a program may call, for `builtins`.
static BUILTINS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Natives of ours: base32 (the data-encoding crate), `tojson` (jq's numbers), `_jqdump`
/// (a value as jq quotes it in an error), stderr/debug, and `builtins`.
fn natives<D: for<'a> jaq_core::DataT<V<'a> = Val>>()
-> impl Iterator<Item = jaq_core::native::Fun<D>> {
    native_ptrs()
        .into_vec()
        .into_iter()
        .map(jaq_core::native::run)
}

fn native_ptrs<D: for<'a> jaq_core::DataT<V<'a> = Val>>()
-> Box<[jaq_core::native::Filter<jaq_core::RunPtr<D>>]> {
    use jaq_core::native::{bome, v};
    Box::new([
        ("encode_base32", v(0), |cv| {
            bome(
                cv.1.try_as_utf8_bytes_owned()
                    .map(|s| Val::utf8_str(data_encoding::BASE32.encode(&s))),
            )
        }),
        ("decode_base32", v(0), |cv| {
            bome(cv.1.try_as_utf8_bytes_owned().and_then(|s| {
                data_encoding::BASE32
                    .decode(&s)
                    .map(Val::utf8_str)
                    .map_err(|e| jaq_core::Error::str(format_args!("@base32d: {e}")))
            }))
        }),
        ("tojson", v(0), |cv| {
            bome(
                write::tojson(&cv.1)
                    .map(Val::utf8_str)
                    .map_err(jaq_core::Error::str),
            )
        }),
        ("_jqdump", v(0), |cv| {
            bome(Ok(Val::utf8_str(jq_dump(&cv.1))))
        }),
        ("stderr_empty", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(s).into_owned(),
                other => other.to_string(),
            };
            crate::sys::to_stderr(&crate::redact::inline(&text));
            Box::new(core::iter::empty())
        }),
        ("debug_empty", v(0), |cv| {
            let text = format!("[\"DEBUG:\",{}]", cv.1);
            crate::sys::to_stderr(&crate::redact::inline(&text));
            Box::new(core::iter::empty())
        }),
        ("builtins", v(0), |_| {
            let names = BUILTINS.get().map(Vec::as_slice).unwrap_or_default();
            bome(Ok(names.iter().map(|n| Val::utf8_str(n.clone())).collect()))
        }),
    ])
}

impl Jq {
    /// The compiled filter, or exit 2 saying where EXPR is wrong (also when it is nested
    /// too deeply to parse, or uses modules).
    pub fn compile(expr: &str) -> Result<Jq> {
        std::thread::scope(|scope| {
            joined(on_jq_thread(scope, || {
                overflow::guard(overflow::Phase::Compile, || Compiled::new(expr).map(drop))
            })?)
        })?;
        Ok(Jq {
            expr: expr.to_string(),
            memory: 512 << 20,
        })
    }

    /// Every result of the filter on `input` (JSON text), printed to `out` as the module
    /// says; at a terminal, nothing in a raw string drives it. Exit 1 on a runtime error
    /// (what was printed before it stays), or when `input` is not JSON. Runs on jq's own
    /// thread, its memory bounded by `--max-mib`, while this one writes what it prints.
    pub fn run(&self, input: &[u8], as_json: bool, out: &mut dyn Write) -> Result<()> {
        let (to, printed) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        std::thread::scope(|scope| {
            let worker = on_jq_thread(scope, move || {
                let mut chunks = Chunks {
                    to,
                    pending: Vec::new(),
                };
                let _watch = memory::watch(self.memory);
                overflow::guard(overflow::Phase::Run, || {
                    Compiled::new(&self.expr)?.run(input, as_json, &mut chunks)
                })
            })?;
            let mut written = Ok(());
            for chunk in printed.iter() {
                written = out.write_all(&chunk);
                if written.is_err() {
                    break;
                }
            }
            // Stop the worker's sends, should it go on printing.
            drop(printed);
            let ran = joined(worker);
            written?;
            ran?;
            out.flush()?;
            Ok(())
        })
    }

    /// The same filter, whose runs may add at most `bytes` of memory (`--max-mib`).
    pub fn with_memory(self, bytes: u64) -> Jq {
        Jq {
            memory: bytes,
            ..self
        }
    }
}

impl Compiled {
    fn new(expr: &str) -> Result<Compiled> {
        BUILTINS.get_or_init(|| {
            let (defs, funs) = definitions();
            let mut names: Vec<String> = defs
                .map(|d| format!("{}/{}", d.name, d.args.len()))
                .chain(funs.map(|(name, args, _)| format!("{name}/{}", args.len())))
                .filter(|n| !n.starts_with('_'))
                .collect();
            names.sort();
            names.dedup();
            names
        });
        let (defs, funs) = definitions();
        let (code, lines, longer) = locations(expr);
        let code = code.as_str();
        let arena = Arena::default();
        let program = File { code, path: () };
        let modules = Loader::new(defs).load(&arena, program).map_err(|errors| {
            let (what, at) = errors
                .into_iter()
                .next()
                .map(|(_, e)| load_error(&e))
                .unwrap_or_else(|| ("a syntax error".to_string(), None));
            syntax_error(expr, &what, at.map(|s| column(expr, code, &longer, s)))
        })?;
        // Data imports (`import "d" as $a`) would have to be read by us before running,
        // and modules from files; saymon takes neither (exit 2 before anything is sent).
        jaq_core::load::import(&modules, |_| Err(String::new())).map_err(|_| {
            syntax_error(
                expr,
                "modules are not supported (import, include): put the definitions in the filter itself",
                None,
            )
        })?;
        let names: Vec<String> = lines.iter().map(|line| location_name(*line)).collect();
        let filter = Compiler::default()
            .with_funs(funs)
            .with_global_vars(names.iter().map(String::as_str))
            .compile(modules)
            .map_err(|errors| {
                let first = errors.into_iter().flat_map(|(_, e)| e).next();
                match first {
                    Some((name, what)) if withheld(name, &what) => environment_error(),
                    Some((name, what)) => syntax_error(
                        expr,
                        &format!("{} is not defined", undefined(name, &what)),
                        Some(column(expr, code, &longer, name)),
                    ),
                    None => syntax_error(expr, "it does not compile", None),
                }
            })?;
        let locations = lines
            .iter()
            .map(|line| {
                let object = [
                    ("file", Val::utf8_str("<top-level>")),
                    ("line", Val::Num(jaq_json::Num::Int(*line as isize))),
                ]
                .into_iter()
                .map(|(k, v)| (Val::utf8_str(k), v));
                Val::obj(object.collect())
            })
            .collect();
        Ok(Compiled { filter, locations })
    }

    /// `Jq::run` on jq's thread.
    fn run(&self, input: &[u8], as_json: bool, out: &mut dyn Write) -> Result<()> {
        check_depth(input)?;
        let value = jaq_json::read::parse_single(input).map_err(|e| {
            Error::new(
                Exit::Failure,
                format!("--jq needs a JSON answer, and this is not JSON: {e}"),
            )
            .hint("drop --jq to see the answer as it is")
        })?;
        let terminal = io::stdout().is_terminal();
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new(self.locations.clone()));
        for result in self.filter.id.run((ctx, value)) {
            // jaq's own unwrap_valr would end the process on `halt`: here `halt` ends the
            // output (exit 0, as jq), `halt_error` is exit 1 (saymon's codes are its own).
            let value = match result.map_err(|e| e.get_err()) {
                Ok(value) => value,
                Err(Ok(e)) => {
                    // A message is shown as jq shows it: a string as it is, not quoted.
                    let message = match e.into_val() {
                        Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(&s).into_owned(),
                        other => other.to_string(),
                    };
                    return Err(Error::new(
                        Exit::Failure,
                        format!("--jq: {}", redact::server_text(&message, 200)),
                    )
                    .hint("the filter failed on this input: check it against the JSON without --jq")
                    .into());
                }
                Err(Err(halt)) => match halt.get_halt() {
                    Ok(0) => break,
                    code => {
                        out.flush()?;
                        return Err(Error::new(
                            Exit::Failure,
                            format!(
                                "--jq: the filter ended with halt_error ({})",
                                code.map_or_else(|_| "?".into(), |c| c.to_string())
                            ),
                        )
                        .hint("saymon ends a halt_error with its own exit code 1; the message went to stderr")
                        .into());
                    }
                },
            };
            let text = match &value {
                Val::TStr(s) | Val::BStr(s) if !as_json => String::from_utf8_lossy(s).into_owned(),
                other => write::to_json(other)
                    .map(|json| String::from_utf8(json).expect("serde_json writes UTF-8"))
                    .map_err(|why| {
                        let hint = if why.contains("object key") {
                            "jq prints only JSON: object keys must be strings (tostring makes one)"
                        } else {
                            "jq prints only JSON saymon can write: flatten or cut the result"
                        };
                        Error::new(Exit::Failure, format!("--jq: {why}")).hint(hint)
                    })?,
            };
            let text = if terminal {
                redact::terminal(&text)
            } else {
                text
            };
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(())
    }
}

/// Exit 1 when `input` is nested deeper than `json::MAX_DEPTH` (serde_json's parser
/// decides, keeping nothing: `json::check_nesting`); any other trouble is left to jq's parser,
/// which accepts what serde_json does not (`1e400`).
fn check_depth(input: &[u8]) -> Result<()> {
    match crate::json::check_nesting(input) {
        Err(e) if crate::json::too_deep(&e) => Err(Error::new(
            Exit::Failure,
            format!(
                "the answer is nested deeper than {} levels, too deep for --jq",
                crate::json::MAX_DEPTH
            ),
        )
        .hint("drop --jq to see the answer as it is")
        .into()),
        _ => Ok(()),
    }
}

/// `expr` with each `$__loc__` renamed after its line (`$_L00003`, as long, so that columns
/// stay true; `{$__loc__}` becomes `{__loc__:$_L00003}`), the lines, in the order of
/// `location_name`'s global variables, and where in `expr` the longer forms are. jq's
/// `$__loc__` is `{"file":"<top-level>","line":N}`; jaq has none. A filter that does not
/// lex is left as it is, for the loader to report.
fn locations(expr: &str) -> (String, Vec<usize>, Vec<usize>) {
    use jaq_core::load::lex::{StrPart, Tok, Token};
    /// Each `$__loc__`, and whether it is an object's shorthand key (`{$__loc__}`).
    fn find<'a>(tokens: &[Token<&'a str>], object: bool, found: &mut Vec<(&'a str, bool)>) {
        for (i, Token(text, tok)) in tokens.iter().enumerate() {
            match tok {
                Tok::Var if *text == "$__loc__" => {
                    let sym = |t: Option<&Token<&str>>, s: &[&str]| matches!(t, Some(Token(x, Tok::Sym)) if s.contains(x));
                    let alone = (i == 0 || sym(tokens.get(i - 1), &[","]))
                        && sym(tokens.get(i + 1), &[",", "}"]);
                    found.push((text, object && alone));
                }
                Tok::Block(inner) => find(inner, text.starts_with('{'), found),
                Tok::Str(parts) => {
                    for part in parts {
                        if let StrPart::Term(term) = part {
                            find(std::slice::from_ref(term), false, found);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    if let Ok(tokens) = jaq_core::load::Lexer::new(expr).lex() {
        find(&tokens, false, &mut found);
    }
    let mut code = expr.to_string();
    let mut lines = Vec::new();
    let mut longer = Vec::new();
    // From the end, so that each position in `expr` is still true in `code`.
    for (text, shorthand) in found.into_iter().rev() {
        let at = (text.as_ptr() as usize).wrapping_sub(expr.as_ptr() as usize);
        let Some(before) = expr.get(..at) else {
            continue;
        };
        let line = before.matches('\n').count() + 1;
        let name = location_name(line);
        if name.len() != text.len() {
            continue;
        }
        if shorthand {
            code.replace_range(at..at + text.len(), &format!("__loc__:{name}"));
            longer.push(at);
        } else {
            code.replace_range(at..at + text.len(), &name);
        }
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    longer.reverse();
    (code, lines, longer)
}

/// Where `part` (a slice of `code`, made by `locations` from `expr`) starts in `expr`, in
/// characters; past the end when it is not inside `code` (an error at the end).
fn column(expr: &str, code: &str, longer: &[usize], part: &str) -> usize {
    let start = (part.as_ptr() as usize).wrapping_sub(code.as_ptr() as usize);
    let mut byte = start.min(code.len());
    // Each `{$__loc__}` made `code` longer by "__loc__:" after that point.
    let extra = "__loc__:".len();
    for (i, at) in longer.iter().enumerate() {
        let in_code = at + i * extra;
        if start > in_code {
            byte = byte.saturating_sub(extra.min(start - in_code));
        }
    }
    let byte = byte.min(expr.len());
    expr.get(..byte).map_or(0, |s| s.chars().count())
}

/// The global variable that holds `$__loc__` on `line`: as long as `$__loc__` up to line
/// 99,999 (past it, the filter says `$__loc__` is not defined).
fn location_name(line: usize) -> String {
    format!("$_L{line:05}")
}

/// Whether an undefined name is the environment, which saymon withholds (`env`, `$ENV`).
fn withheld(name: &str, what: &jaq_core::compile::Undefined) -> bool {
    use jaq_core::compile::Undefined;
    matches!(
        (name, what),
        ("env", Undefined::Filter(0)) | ("$ENV", Undefined::Var)
    )
}

/// Exit 2: the filter reads the environment, which may hold SAYMON_PASSWORD or
/// SAYMON_TOKEN; the hint names the ways that work.
fn environment_error() -> anyhow::Error {
    Error::new(
        Exit::Usage,
        "--jq: env and $ENV are withheld: saymon's environment may hold SAYMON_PASSWORD or SAYMON_TOKEN",
    )
    .hint("write the value into the filter (--jq '.[] | select(.name == \"web-1\")'), or pipe saymon's output to jq (jq --arg name \"$NAME\" ...)")
    .into()
}

/// A value as jq quotes it in an error message: its JSON cut to fit 30 bytes (a long
/// string first to its first 30 characters), ending in `...` and the closing quote or
/// bracket when cut (jq's `jv_dump_string_trunc`).
fn jq_dump(value: &Val) -> String {
    const ROOM: usize = 30;
    let cut;
    let value = match value {
        Val::TStr(s) | Val::BStr(s) if s.len() > ROOM => {
            cut = Val::utf8_str(
                String::from_utf8_lossy(s)
                    .chars()
                    .take(ROOM)
                    .collect::<String>(),
            );
            &cut
        }
        other => other,
    };
    let text = write::tojson(value).unwrap_or_else(|why| why);
    if text.len() < ROOM {
        return text;
    }
    let close = match text.as_bytes().first() {
        Some(b'"') => "\"",
        Some(b'[') => "]",
        Some(b'{') => "}",
        _ => "",
    };
    let mut end = ROOM - 4 - close.len();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...{close}", &text[..end])
}

/// "the filter f/1", "the variable $x", as jq names them.
fn undefined(name: &str, undefined: &jaq_core::compile::Undefined) -> String {
    use jaq_core::compile::Undefined;
    match undefined {
        Undefined::Var => format!("the variable {name}"),
        Undefined::Filter(arity) => format!("the filter {name}/{arity}"),
        Undefined::Mod => format!("the module {name}"),
        Undefined::Label => format!("the label {name}"),
        _ => name.to_string(),
    }
}

/// What a load error expected, and the slice of EXPR where it happened.
fn load_error<'s>(error: &jaq_core::load::Error<&'s str>) -> (String, Option<&'s str>) {
    use jaq_core::load::{Error as E, lex, parse};
    match error {
        E::Lex(errors) => match errors.first() {
            Some((expect, at)) => {
                let what = match expect {
                    lex::Expect::Digit => "a digit".to_string(),
                    lex::Expect::Ident => "a name".to_string(),
                    lex::Expect::Delim(open) => format!("the closing of {open}"),
                    lex::Expect::Escape => "a valid escape sequence".to_string(),
                    lex::Expect::Unicode => "4 hexadecimal digits".to_string(),
                    _ => "a valid token".to_string(),
                };
                (format!("expected {what}"), Some(*at))
            }
            None => ("a syntax error".into(), None),
        },
        E::Parse(errors) => match errors.first() {
            Some((expect, at)) => {
                let what = match expect {
                    parse::Expect::Just(s) => format!("\"{s}\""),
                    other => other.as_str().to_string(),
                };
                let found = if at.is_empty() {
                    "the end".to_string()
                } else {
                    format!("\"{}\"", redact::server_text(at, 20))
                };
                (format!("expected {what}, found {found}"), Some(*at))
            }
            None => ("a syntax error".into(), None),
        },
        E::Io(errors) => (
            errors
                .first()
                .map(|(_, e)| format!("cannot load a module: {}", redact::server_text(e, 80)))
                .unwrap_or_else(|| "cannot load a module".into()),
            None,
        ),
    }
}

/// Exit 2: "--jq: expected …, found … at column N of '…'", one line, as errors are.
fn syntax_error(expr: &str, what: &str, column: Option<usize>) -> anyhow::Error {
    let shown = redact::server_text(expr, 80);
    let message = match column {
        Some(c) => format!("--jq: {what} at column {} of '{shown}'", c + 1),
        None => format!("--jq: {what} in '{shown}'"),
    };
    Error::new(Exit::Usage, message)
        .hint("--jq takes jq syntax, e.g. '.[] | select(.state == 3) | .name'")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expr: &str, input: &str, as_json: bool) -> String {
        let mut out = Vec::new();
        Jq::compile(expr)
            .unwrap()
            .run(input.as_bytes(), as_json, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_raw_other_values_compact() {
        let input = r#"[{"name":"db-1","state":3,"tags":["a"]},{"name":"web","state":1}]"#;
        assert_eq!(
            run(".[] | select(.state == 3) | .name", input, false),
            "db-1\n"
        );
        assert_eq!(
            run(".[] | select(.state == 3) | .name", input, true),
            "\"db-1\"\n"
        );
        assert_eq!(run(".[0].tags", input, false), "[\"a\"]\n");
        assert_eq!(run("map(.state) | add", input, false), "4\n");
        assert_eq!(
            run(r#".[] | [.name, .state] | @tsv"#, input, false),
            "db-1\t3\nweb\t1\n"
        );
        assert_eq!(run("length", input, false), "2\n");
        assert_eq!(
            run(
                r#"[["a\tb", "c\\d", null, true, 1.5]] | .[] | @tsv"#,
                "null",
                false
            ),
            "a\\tb\tc\\\\d\t\ttrue\t1.5\n"
        );
        assert_eq!(
            run(r#"["a\u0000b"] | @tsv"#, "null", false),
            "a\\0b\n",
            "NUL as jq writes it"
        );
        assert_eq!(
            run(r#"["x", "say \"hi\"", null, 2] | @csv"#, "null", false),
            "\"x\",\"say \"\"hi\"\"\",,2\n"
        );
        assert_eq!(run("empty", input, false), "");
    }

    #[test]
    fn syntax_errors_say_where_with_exit_2() {
        for (expr, column) in [(".[] | select(", 14), (".a | | .b", 6), ("{a:}", 4)] {
            let err = Jq::compile(expr).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), Exit::Usage, "{expr}");
            let text = err.to_string();
            assert!(
                text.contains(&format!("at column {column}")),
                "{expr}: {text}"
            );
        }
        let err = Jq::compile(".[] | nosuchfilter").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("the filter nosuchfilter/0 is not defined at column 7"),
            "{text}"
        );
    }

    #[test]
    fn the_environment_is_not_readable_and_the_error_says_why() {
        for expr in ["env", "$ENV.SAYMON_PASSWORD", "env.HOME | ascii_downcase"] {
            let err = Jq::compile(expr).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), Exit::Usage, "{expr}");
            let text = format!("{err:#}");
            assert!(text.contains("SAYMON_TOKEN"), "{expr}: {text}");
            assert!(!text.contains("not defined"), "{expr}: {text}");
        }
        // A filter of the user's own named env is theirs.
        assert_eq!(run("def env: 1; env", "null", false), "1\n");
    }

    #[test]
    fn loc_is_the_line_it_is_on() {
        let top = |line| format!("{{\"file\":\"<top-level>\",\"line\":{line}}}");
        assert_eq!(run("$__loc__", "null", true), format!("{}\n", top(1)));
        assert_eq!(
            run("[$__loc__,\n $__loc__.line,\n\n $__loc__]", "null", true),
            format!("[{},2,{}]\n", top(1), top(4))
        );
        assert_eq!(
            run("{a: 1, $__loc__}", "null", true),
            format!("{{\"a\":1,\"__loc__\":{}}}\n", top(1))
        );
        assert_eq!(
            run("try error(\"\\($__loc__)\") catch .", "null", false),
            format!("{}\n", top(1))
        );
        // Text that only looks like it stays text.
        assert_eq!(run("\"$__loc__\"", "null", false), "$__loc__\n");
        // Columns of later errors are the user's.
        let err = Jq::compile("{$__loc__} | nosuch").unwrap_err().to_string();
        assert!(
            err.contains("nosuch/0 is not defined at column 14"),
            "{err}"
        );
        let err = Jq::compile("$__loc__ | nosuch").unwrap_err().to_string();
        assert!(err.contains("at column 12"), "{err}");
    }

    #[test]
    fn range_bounds_must_be_numbers() {
        for expr in [
            "range(.)",
            "range(0; .)",
            "range(.; 3)",
            "range(0; 3; .)",
            "range(\"a\")",
            "[limit(3; range(0; .))]",
        ] {
            for input in ["\"a\"", "{}", "[]", "null"] {
                let mut out = Vec::new();
                let err = Jq::compile(expr)
                    .unwrap()
                    .run(input.as_bytes(), false, &mut out)
                    .unwrap_err();
                assert!(out.is_empty(), "{expr} on {input}");
                assert!(
                    err.to_string().contains("Range bounds must be numeric"),
                    "{expr} on {input}: {err}"
                );
            }
        }
        assert_eq!(run("[range(0; 3; 0)]", "null", false), "[]\n");
        assert_eq!(run("[range(.)]", "3", false), "[0,1,2]\n");
    }

    #[test]
    fn jq_quotes_values_in_errors_as_jq_does() {
        for (value, quoted) in [
            (Val::utf8_str("abc"), "\"abc\""),
            (
                Val::utf8_str("very-long-long-long-long-string"),
                "\"very-long-long-long-long...\"",
            ),
            (
                Val::utf8_str("x".repeat(100)),
                "\"xxxxxxxxxxxxxxxxxxxxxxxx...\"",
            ),
            (Val::Num(jaq_json::Num::Int(123)), "123"),
        ] {
            assert_eq!(jq_dump(&value), quoted);
        }
        let long = jaq_json::read::parse_single(b"[1111111111,2222222222,3333333333]").unwrap();
        assert_eq!(jq_dump(&long), "[1111111111,2222222222,33...]");
    }

    #[test]
    fn runtime_errors_and_non_json_are_exit_1() {
        let jq = Jq::compile(".a").unwrap();
        let mut out = Vec::new();
        let err = jq.run(b"[1]", false, &mut out).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), Exit::Failure);
        let err = jq.run(b"<html>", false, &mut out).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), Exit::Failure);
        assert!(err.to_string().contains("not JSON"));
    }
}
