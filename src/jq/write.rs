//! The writer of `--jq` results and of `tojson`: every value is checked and normalised here,
//! in one place, so that no builtin can make saymon print what is not JSON. As jq does: an
//! object key that is not a string is an error (exit 1), `infinite` prints as
//! ±1.7976931348623157e+308, `nan` as `null`, a computed number as jq lays it out (`50`,
//! `1e+17`, `1e-05`: `number::float`), DEL as `\u007f`, a number literal that is not JSON
//! (`"+5.43" | tonumber`) as the number it means; a literal that is JSON keeps its digits
//! (`1.000`, big integers), and `tojson` writes it as jq 1.8 does (`1E+2`). serde_json
//! writes the text; a value nested deeper than `MAX_DEPTH` is an error, not a stack
//! overflow.

use std::io;

use jaq_json::{Num, Val};

use super::number;
use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::ser::{CompactFormatter, Formatter};

/// The deepest a result may be nested (arrays and objects) to be printed.
pub(crate) const MAX_DEPTH: usize = 1000;

/// `value` as one line of compact JSON. Errors (exit 1 by the caller): a key that is not a
/// string, a value nested deeper than `MAX_DEPTH`; the message never holds more than a
/// short quote of the value.
pub(crate) fn to_json(value: &Val) -> Result<Vec<u8>, String> {
    write(value, Literals::Keep)
}

/// `value` as jq's `tojson` writes it: as `to_json`, with kept number literals in jq 1.8's
/// form (`1e2` as `1E+2`); the same errors.
pub(crate) fn tojson(value: &Val) -> Result<String, String> {
    write(value, Literals::Canonical)
        .map(|json| String::from_utf8(json).expect("serde_json writes UTF-8"))
}

fn write(value: &Val, literals: Literals) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, JqFormatter);
    Checked {
        value,
        depth: 0,
        literals,
    }
    .serialize(&mut serializer)
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// How a kept number literal is written: as it came (what `--jq` prints, as the jq
/// command does), or in decNumber's form (what jq 1.8's `tojson` makes of it).
#[derive(Clone, Copy)]
enum Literals {
    Keep,
    Canonical,
}

/// A value on its way out, at `depth`.
struct Checked<'a> {
    value: &'a Val,
    depth: usize,
    literals: Literals,
}

impl Serialize for Checked<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let inner = |value| Checked {
            value,
            depth: self.depth + 1,
            literals: self.literals,
        };
        match self.value {
            Val::Null => s.serialize_unit(),
            Val::Bool(b) => s.serialize_bool(*b),
            Val::Num(n) => write_number(n, self.literals, s),
            Val::TStr(b) | Val::BStr(b) => s.serialize_str(&String::from_utf8_lossy(b)),
            Val::Arr(items) => {
                self.check_depth()?;
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items.iter() {
                    seq.serialize_element(&inner(item))?;
                }
                seq.end()
            }
            Val::Obj(entries) => {
                self.check_depth()?;
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries.iter() {
                    let (Val::TStr(k) | Val::BStr(k)) = key else {
                        return Err(S::Error::custom(format!(
                            "cannot use {} ({}) as object key",
                            type_name(key),
                            short(key)
                        )));
                    };
                    map.serialize_entry(&String::from_utf8_lossy(k), &inner(value))?;
                }
                map.end()
            }
        }
    }
}

impl Checked<'_> {
    fn check_depth<E: serde::ser::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format!(
                "the result is nested deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(())
    }
}

/// A number as JSON: integers as they are, floats finite or bounded (`nan` is null), a
/// literal kept when it is JSON (as it came, or in jq 1.8's form), else the number it means.
fn write_number<S: Serializer>(n: &Num, literals: Literals, s: S) -> Result<S::Ok, S::Error> {
    let float = |f: f64, s: S| {
        if f.is_nan() {
            s.serialize_unit()
        } else if f.is_infinite() {
            s.serialize_f64(if f > 0.0 { f64::MAX } else { f64::MIN })
        } else {
            s.serialize_f64(f)
        }
    };
    match n {
        Num::Int(i) => s.serialize_i64(*i as i64),
        Num::Float(f) => float(*f, s),
        Num::BigInt(_) | Num::Dec(_) => {
            let literal = n.to_string();
            let literal = match literals {
                Literals::Keep => literal,
                Literals::Canonical => number::literal(&literal).unwrap_or(literal),
            };
            if serde_json::from_str::<serde_json::Number>(&literal).is_ok() {
                let raw =
                    serde_json::value::RawValue::from_string(literal).map_err(S::Error::custom)?;
                raw.serialize(s)
            } else {
                float(literal.parse::<f64>().unwrap_or(f64::NAN), s)
            }
        }
    }
}

/// jq's name of a value's type.
fn type_name(v: &Val) -> &'static str {
    match v {
        Val::Null => "null",
        Val::Bool(_) => "boolean",
        Val::Num(_) => "number",
        Val::TStr(_) | Val::BStr(_) => "string",
        Val::Arr(_) => "array",
        Val::Obj(_) => "object",
    }
}

/// A value, quoted briefly for an error message.
fn short(v: &Val) -> String {
    let text = match v {
        Val::Arr(_) | Val::Obj(_) => type_name(v).to_string(),
        other => other.to_string(),
    };
    crate::redact::server_text(&text, 40)
}

/// serde_json's compact output, with jq's numbers (`number::float`) and DEL escaped.
struct JqFormatter;

impl Formatter for JqFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(number::float(value).as_bytes())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut parts = fragment.split('\u{7f}');
        if let Some(first) = parts.next() {
            CompactFormatter.write_string_fragment(writer, first)?;
        }
        for part in parts {
            writer.write_all(b"\\u007f")?;
            CompactFormatter.write_string_fragment(writer, part)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(v: Val) -> String {
        String::from_utf8(to_json(&v).unwrap()).unwrap()
    }

    #[test]
    fn numbers_are_json_numbers() {
        assert_eq!(
            json(Val::Num(Num::Float(f64::INFINITY))),
            "1.7976931348623157e+308"
        );
        assert_eq!(
            json(Val::Num(Num::Float(f64::NEG_INFINITY))),
            "-1.7976931348623157e+308"
        );
        assert_eq!(json(Val::Num(Num::Float(f64::NAN))), "null");
        assert_eq!(json(Val::Num(Num::Float(1e100))), "1e+100");
        assert_eq!(json(Val::Num(Num::Float(1.5e-7))), "1.5e-07");
        assert_eq!(json(Val::Num(Num::Float(0.1))), "0.1");
        assert_eq!(json(Val::Num(Num::Int(-3))), "-3");
        assert_eq!(json(Val::Num(Num::Float(50.0))), "50");
        assert_eq!(json(Val::Num(Num::Float(1e-5))), "1e-05");
    }

    #[test]
    fn tojson_writes_literals_as_jq_1_8_and_escapes_del() {
        let dec = |s: &str| Val::Num(Num::Dec(std::rc::Rc::new(s.to_string())));
        assert_eq!(tojson(&dec("1e2")).unwrap(), "1E+2");
        assert_eq!(json(dec("1e2")), "1e2");
        assert_eq!(tojson(&dec("3.0e-5")).unwrap(), "0.000030");
        assert_eq!(
            tojson(&Val::utf8_str("a\u{7f}b\u{0}")).unwrap(),
            "\"a\\u007fb\\u0000\""
        );
    }
}
