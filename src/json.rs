//! JSON as servers send it, before anything is kept: how deep it may nest. Below both the
//! parsers of what a server answers (`response`) and `--jq`, which share the limit.

/// The deepest a JSON answer may be nested (arrays and objects) to be parsed or filtered:
/// serde_json's limit (it refuses the 128th level). SAYMON's answers are a few levels deep.
pub(crate) const MAX_DEPTH: usize = 127;

/// Whether serde_json refused a document for nesting deeper than its limit (127 levels
/// allowed, `MAX_DEPTH`). serde_json has no public error code for it; its message is
/// fixed ("recursion limit exceeded at line …").
pub(crate) fn too_deep(e: &serde_json::Error) -> bool {
    e.classify() == serde_json::error::Category::Syntax
        && e.to_string().starts_with("recursion limit exceeded")
}

/// Check a JSON document's nesting without keeping anything: serde_json parses it and
/// stops at its recursion limit (127 levels allowed), which `IgnoredAny` alone would not (it skips
/// without recursing). Errors: serde_json's, `too_deep` tells the limit.
pub(crate) fn check_nesting(json: &[u8]) -> std::result::Result<(), serde_json::Error> {
    use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    /// Any JSON value, read through serde_json's recursion and dropped.
    struct Shape;

    impl<'de> Deserialize<'de> for Shape {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Shape, D::Error> {
            d.deserialize_any(ShapeVisitor)
        }
    }

    struct ShapeVisitor;

    impl<'de> Visitor<'de> for ShapeVisitor {
        type Value = Shape;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }

        fn visit_bool<E>(self, _: bool) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_i64<E>(self, _: i64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_u64<E>(self, _: u64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_f64<E>(self, _: f64) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_str<E>(self, _: &str) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_unit<E>(self) -> std::result::Result<Shape, E> {
            Ok(Shape)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Shape, A::Error> {
            while seq.next_element::<Shape>()?.is_some() {}
            Ok(Shape)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Shape, A::Error> {
            while map.next_entry::<IgnoredAny, Shape>()?.is_some() {}
            Ok(Shape)
        }
    }

    serde_json::from_slice::<Shape>(json).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_past_the_limit_is_told() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(check_nesting(b"[[[1]]]").is_ok());
        let at_limit = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(check_nesting(at_limit.as_bytes()).is_ok());
        let past = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(too_deep(&check_nesting(past.as_bytes()).unwrap_err()));
        let err = check_nesting(deep.as_bytes()).unwrap_err();
        assert!(too_deep(&err), "{err}");
        assert!(!too_deep(&check_nesting(b"[1,").unwrap_err()));
    }
}
