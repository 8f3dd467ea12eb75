//! What a filter that does not compile is told (exit 2, with the column), and jq's
//! `$__loc__`, which jaq lacks, made from the filter's own text.

use crate::error::{Error, Exit};
use crate::redact;

/// `expr` with each `$__loc__` renamed after its line (`$_L00003`, as long, so that columns
/// stay true; `{$__loc__}` becomes `{__loc__:$_L00003}`), the lines, in the order of
/// `location_name`'s global variables, and where in `expr` the longer forms are. jq's
/// `$__loc__` is `{"file":"<top-level>","line":N}`; jaq has none. A filter that does not
/// lex is left as it is, for the loader to report.
pub(super) fn locations(expr: &str) -> (String, Vec<usize>, Vec<usize>) {
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
pub(super) fn column(expr: &str, code: &str, longer: &[usize], part: &str) -> usize {
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
pub(super) fn location_name(line: usize) -> String {
    format!("$_L{line:05}")
}

/// Whether an undefined name is the environment, which saymon withholds (`env`, `$ENV`).
pub(super) fn withheld(name: &str, what: &jaq_core::compile::Undefined) -> bool {
    use jaq_core::compile::Undefined;
    matches!(
        (name, what),
        ("env", Undefined::Filter(0)) | ("$ENV", Undefined::Var)
    )
}

/// Exit 2: the filter reads the environment, which may hold SAYMON_PASSWORD or
/// SAYMON_TOKEN; the hint names the ways that work.
pub(super) fn environment_error() -> anyhow::Error {
    Error::new(
        Exit::Usage,
        "--jq: env and $ENV are withheld: saymon's environment may hold SAYMON_PASSWORD or SAYMON_TOKEN",
    )
    .hint("write the value into the filter (--jq '.[] | select(.name == \"web-1\")'), or pipe saymon's output to jq (jq --arg name \"$NAME\" ...)")
    .into()
}

/// "the filter f/1", "the variable $x", as jq names them.
pub(super) fn undefined(name: &str, undefined: &jaq_core::compile::Undefined) -> String {
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
pub(super) fn load_error<'s>(error: &jaq_core::load::Error<&'s str>) -> (String, Option<&'s str>) {
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
pub(super) fn syntax_error(expr: &str, what: &str, column: Option<usize>) -> anyhow::Error {
    let shown = redact::server_text(expr, 80);
    let message = match column {
        Some(c) => format!("--jq: {what} at column {} of '{shown}'", c + 1),
        None => format!("--jq: {what} in '{shown}'"),
    };
    Error::new(Exit::Usage, message)
        .hint("--jq takes jq syntax, e.g. '.[] | select(.state == 3) | .name'")
        .into()
}
