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
use syntax::{
    column, environment_error, load_error, location_name, locations, syntax_error, undefined,
    withheld,
};

mod memory;
mod number;
mod overflow;
mod syntax;
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
    /// thread, its memory bounded by `--max-mib` less `input`'s length (the caller holds
    /// it: the two together stay within the flag), while this one writes what it prints.
    pub fn run(&self, input: &[u8], as_json: bool, out: &mut dyn Write) -> Result<()> {
        let (to, printed) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
        std::thread::scope(|scope| {
            let worker = on_jq_thread(scope, move || {
                let mut chunks = Chunks {
                    to,
                    pending: Vec::new(),
                };
                // The answer in `input` counts against --max-mib too: the bound is on both.
                let _watch = memory::watch(self.memory, input.len() as u64);
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

#[cfg(test)]
mod tests;
