//! The unit tests of `jq`.

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
