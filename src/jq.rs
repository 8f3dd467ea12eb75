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
mod overflow;
pub mod write;

/// The deepest a JSON answer may be nested (arrays and objects) to be filtered: serde_json's
/// limit (it refuses the 128th level), which saymon's other parsers of what a server sends
/// have too. SAYMON's answers
/// are a few levels deep.
pub const MAX_INPUT_DEPTH: usize = 127;

type Data = data::JustLut<Val>;

pub struct Jq {
    filter: jaq_core::Filter<Data>,
    /// The most memory a run may add, in bytes (`--max-mib`).
    memory: u64,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

/// What jaq's standard library lacks and scripts copied from jq's manual use, as jq 1.7
/// defines it: `@csv`, `@tsv`, `@base32`/`@base32d` (over natives), `IN`, `INDEX`,
/// `JOIN`, `trimstr`, `ltrimstr`/`rtrimstr` (which fail on what is not a string, as in
/// jq 1.8), `ascii`, `tostream`, `truncate_stream`, `have_literal_numbers`, jq's `del` (all
/// paths at once) and jq's `join` (null as "", numbers and booleans as JSON).
const FORMATS: &str = r#"
def @base32: tostring | encode_base32;
def @base32d: tostring | decode_base32;
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def INDEX(stream; idx_expr): reduce stream as $row ({}; .[$row | idx_expr | tostring] |= $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr): [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr): stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr): stream | [., $idx[idx_expr]] | join_expr;
def ltrimstr($x): if startswith($x) then .[$x | length:] else . end;
def rtrimstr($x): if endswith($x) and ($x | length) > 0 then .[:length - ($x | length)] else . end;
def trimstr($x): ltrimstr($x) | rtrimstr($x);
def ascii: if type == "number" and . >= 0 and . <= 127 then [.] | implode
  else error("ascii takes a number from 0 to 127") end;
def del(f): reduce ([path(f)] | unique | reverse)[] as $p (.; delpaths([$p]));
def tostream: path(def r: (.[]? | r), .; r) as $p | getpath($p)
  | reduce path(.[]?) as $q ([$p, .]; [$p + $q]);
def truncate_stream(stream): . as $n | null | stream | . as $input
  | if (.[0] | length) > $n then setpath([0]; .[0][$n:]) else empty end;
def have_literal_numbers: true;
def have_decnum: false;
def join($x): reduce .[] as $i (null;
    (if . == null then "" else . + $x end)
    + ($i | if . == null then "" elif type == "string" then . else tojson end)
  ) // "";
def @csv: map(
    if type == "string" then "\"" + (split("\"") | join("\"\"")) + "\""
    elif . == null then ""
    elif type == "number" or type == "boolean" then tostring
    else error("\(type) is not valid in a csv row") end
  ) | join(",");
def @tsv: map(
    if type == "string" then
      split("\\") | join("\\\\") | split("\t") | join("\\t")
      | split("\n") | join("\\n") | split("\r") | join("\\r")
    elif . == null then ""
    elif type == "number" or type == "boolean" then tostring
    else error("\(type) is not valid in a tsv row") end
  ) | join("\t");
"#;

/// The filters a program may use: jq's standard library, minus `env`.
fn definitions() -> (
    impl Iterator<Item = jaq_core::load::parse::Def<&'static str>>,
    impl Iterator<Item = jaq_core::native::Filter<jaq_core::Native<Data>>>,
) {
    let formats = jaq_core::load::parse(FORMATS, |p| p.defs()).expect("FORMATS parses");
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs())
        .chain(formats);
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs())
        // env: the environment holds secrets; stderr/debug: jaq's go to a logger nobody
        // installed, ours print escaped lines.
        .filter(|(name, _, _)| !matches!(*name, "env" | "stderr_empty" | "debug_empty"))
        .chain(natives());
    (defs, funs)
}

/// `name/arity` of every filter a program may call, for `builtins`.
static BUILTINS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Natives of ours: base32 (the data-encoding crate) and `builtins`.
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
        ("stderr_empty", v(0), |cv| {
            let text = match &cv.1 {
                Val::TStr(s) | Val::BStr(s) => String::from_utf8_lossy(s).into_owned(),
                other => other.to_string(),
            };
            crate::output::to_stderr(&crate::redact::inline(&text));
            Box::new(core::iter::empty())
        }),
        ("debug_empty", v(0), |cv| {
            let text = format!("[\"DEBUG:\",{}]", cv.1);
            crate::output::to_stderr(&crate::redact::inline(&text));
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
        overflow::guard(overflow::Phase::Compile, || Self::compile_now(expr))
    }

    fn compile_now(expr: &str) -> Result<Jq> {
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
        let arena = Arena::default();
        let program = File {
            code: expr,
            path: (),
        };
        let modules = Loader::new(defs).load(&arena, program).map_err(|errors| {
            let (what, at) = errors
                .into_iter()
                .next()
                .map(|(_, e)| load_error(&e))
                .unwrap_or_else(|| ("a syntax error".to_string(), None));
            syntax_error(expr, &what, at.map(|s| offset(expr, s)))
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
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let first = errors.into_iter().flat_map(|(_, e)| e).next();
                match first {
                    Some((name, what)) => syntax_error(
                        expr,
                        &format!("{} is not defined", undefined(name, &what)),
                        Some(offset(expr, name)),
                    ),
                    None => syntax_error(expr, "it does not compile", None),
                }
            })?;
        Ok(Jq {
            filter,
            memory: 512 << 20,
        })
    }

    /// Every result of the filter on `input` (JSON text), printed to `out` as the module
    /// says; at a terminal, nothing in a raw string drives it. Exit 1 on a runtime error
    /// (what was printed before it stays), or when `input` is not JSON.
    pub fn run(&self, input: &[u8], as_json: bool, out: &mut dyn Write) -> Result<()> {
        let _watch = memory::watch(self.memory);
        overflow::guard(overflow::Phase::Run, || self.run_now(input, as_json, out))
    }

    /// The same filter, whose runs may add at most `bytes` of memory (`--max-mib`).
    pub fn with_memory(self, bytes: u64) -> Jq {
        Jq {
            memory: bytes,
            ..self
        }
    }

    fn run_now(&self, input: &[u8], as_json: bool, out: &mut dyn Write) -> Result<()> {
        check_depth(input)?;
        let value = jaq_json::read::parse_single(input).map_err(|e| {
            Error::new(
                Exit::Failure,
                format!("--jq needs a JSON answer, and this is not JSON: {e}"),
            )
            .hint("drop --jq to see the answer as it is")
        })?;
        let terminal = io::stdout().is_terminal();
        let ctx = Ctx::<Data>::new(&self.filter.lut, Vars::new([]));
        for result in self.filter.id.run((ctx, value)) {
            // jaq's own unwrap_valr would end the process on `halt`: here `halt` ends the
            // output (exit 0, as jq), `halt_error` is exit 1 (saymon's codes are its own).
            let value = match result.map_err(|e| e.get_err()) {
                Ok(value) => value,
                Err(Ok(e)) => {
                    return Err(Error::new(
                        Exit::Failure,
                        format!("--jq: {}", redact::server_text(&e.to_string(), 200)),
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

/// Exit 1 when `input` is nested deeper than `MAX_INPUT_DEPTH` (serde_json's parser
/// decides, keeping nothing: `answer::check_nesting`); any other trouble is left to jq's parser,
/// which accepts what serde_json does not (`1e400`).
fn check_depth(input: &[u8]) -> Result<()> {
    match crate::answer::check_nesting(input) {
        Err(e) if crate::answer::too_deep(&e) => Err(Error::new(
            Exit::Failure,
            format!("the answer is nested deeper than {MAX_INPUT_DEPTH} levels, too deep for --jq"),
        )
        .hint("drop --jq to see the answer as it is")
        .into()),
        _ => Ok(()),
    }
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

/// Where `part` (a slice of `expr`) starts in `expr`, in characters; past the end when it
/// is not inside it (an error at the end).
fn offset(expr: &str, part: &str) -> usize {
    let start = (part.as_ptr() as usize).wrapping_sub(expr.as_ptr() as usize);
    let byte = if start <= expr.len() {
        start
    } else {
        expr.len()
    };
    expr.get(..byte).map_or(0, |s| s.chars().count())
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
    fn the_environment_is_not_readable() {
        assert!(Jq::compile("env").is_err());
        assert!(Jq::compile("$ENV.SAYMON_PASSWORD").is_err());
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
