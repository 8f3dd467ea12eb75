//! Numbers in the text jq writes: a computed number in its shortest form that reads back
//! the same, laid out as jq 1.8 lays it out (`50`, `1e+17`, `1e-05`, `0.0001`), and a
//! literal that jq keeps (a number from the input or the filter text, not yet computed
//! with) as `tojson` writes it: decNumber's scientific string (`1E+2`, `0.000030`, `1.0`).
//! The shortest digits are Rust's own (`{:e}` prints the shortest round trip, as jq's
//! dtoa in mode 0 does); only the layout is ours.

/// A finite `f` as jq writes a computed number: the shortest digits that read back as `f`,
/// in exponent form when the decimal point would sit more than 3 places left of them or
/// more than 15 places past their end (jq's `jvp_dtoa_fmt`), the exponent signed and of
/// at least two digits. Not finite: Rust's own text (the callers bound it first).
pub(super) fn float(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let scientific = format!("{:e}", f.abs());
    let (mantissa, exponent) = scientific.split_once('e').expect("{:e} writes an exponent");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i64 = exponent.parse().expect("{:e} writes an integer exponent");
    // Where the decimal point goes, counted from the first digit (jq's decpt).
    let point = exponent + 1;
    let count = digits.len() as i64;
    let body = if point <= -4 || point > count + 15 {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e = point - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        format!("{first}{fraction}e{e_sign}{:02}", e.abs())
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point >= count {
        format!("{digits}{}", "0".repeat((point - count) as usize))
    } else {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    };
    format!("{sign}{body}")
}

/// A number literal (`-1.50e3`) as jq 1.8's `tojson` writes one it kept: decNumber's
/// to-scientific-string of the literal's coefficient and exponent (`1E+2`, `0.000030`,
/// `-0.0`, `100000000000000000000`). None when `literal` is not a JSON-like number or
/// its exponent does not fit.
pub(super) fn literal(literal: &str) -> Option<String> {
    let (sign, rest) = match literal.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", literal.strip_prefix('+').unwrap_or(literal)),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all = format!("{whole}{fraction}");
    let coefficient = match all.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let count = coefficient.len() as i64;
    let adjusted = exponent.checked_add(count - 1)?;
    let body = if exponent <= 0 && adjusted >= -6 {
        let point = count + exponent;
        if exponent == 0 {
            coefficient.to_string()
        } else if point > 0 {
            let (w, f) = coefficient.split_at(point as usize);
            format!("{w}.{f}")
        } else {
            format!(
                "0.{}{coefficient}",
                "0".repeat(point.unsigned_abs() as usize)
            )
        }
    } else {
        let (first, rest) = coefficient.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e_sign = if adjusted < 0 { '-' } else { '+' };
        format!("{first}{fraction}E{e_sign}{}", adjusted.abs())
    };
    Some(format!("{sign}{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_as_jq_writes_them() {
        for (f, text) in [
            (50.0, "50"),
            (0.5, "0.5"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e17, "1e+17"),
            (1e16, "1e+16"),
            (1.5e16, "15000000000000000"),
            (1e15, "1000000000000000"),
            (12345678901234567.0, "12345678901234568"),
            (1e-5, "1e-05"),
            (3e-5, "3e-05"),
            (1e-4, "0.0001"),
            (0.001, "0.001"),
            (1e-7, "1e-07"),
            (1e300, "1e+300"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (-2.5, "-2.5"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1700000000000.0, "1700000000000"),
            (1e20, "1e+20"),
        ] {
            assert_eq!(float(f), text, "{f:e}");
        }
    }

    #[test]
    fn literals_as_jq_keeps_them() {
        for (lit, text) in [
            ("1e2", "1E+2"),
            ("1.0", "1.0"),
            ("1.000", "1.000"),
            ("3.0e-5", "0.000030"),
            ("1e1000", "1E+1000"),
            ("100000000000000000000", "100000000000000000000"),
            ("-0.0", "-0.0"),
            ("0.10", "0.10"),
            ("1E-7", "1E-7"),
            ("1.23e5", "1.23E+5"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("0.000000001E-999999990", "1E-999999999"),
            ("9E999999999", "9E+999999999"),
            ("+5.43", "5.43"),
            ("0e5", "0E+5"),
        ] {
            assert_eq!(literal(lit).as_deref(), Some(text), "{lit}");
        }
        for bad in ["", "nan", "1x", "e5", "1e", "."] {
            assert_eq!(literal(bad), None, "{bad}");
        }
    }
}
