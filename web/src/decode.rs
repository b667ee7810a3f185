//! Decoding a response's `data` into the typed structs `graphql_client` generates, with as
//! little code per type as serde allows (see docs/benchmarks.md, "Web bundle size").
//!
//! The JSON is parsed once into a [`Value`]; [`De`] then hands it to each type's generated
//! `Deserialize`. It offers objects only as maps and field names only as strings, so serde's
//! generated sequence visitors and byte/number identifier visitors are never referenced and
//! drop out of the bundle; and its error is a unit that formats nothing, so no type's
//! `expecting` text or serde's "invalid type" messages are kept either. A response that does
//! not fit its type is one error ("the answer could not be read"): the API is checked
//! against the same schema, so it means a different API version, not a person's mistake.

use std::fmt::Display;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// A response that does not fit its type. It carries nothing, so nothing is formatted.
#[derive(Debug)]
pub struct Mismatch;

impl Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the answer does not fit its type")
    }
}

impl std::error::Error for Mismatch {}

impl de::Error for Mismatch {
    fn custom<T: Display>(_: T) -> Self {
        Mismatch
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        Mismatch
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Mismatch
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Mismatch
    }
    fn missing_field(_: &'static str) -> Self {
        Mismatch
    }
    fn duplicate_field(_: &'static str) -> Self {
        Mismatch
    }
}

/// Decodes `value` as `T`.
pub fn from_value<T: de::DeserializeOwned>(value: Value) -> Result<T, Mismatch> {
    T::deserialize(De(value))
}

/// A JSON value as a serde deserializer (see the module's documentation).
pub struct De(pub Value);

impl<'de> de::Deserializer<'de> for De {
    type Error = Mismatch;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => v.visit_i64(i),
                (None, Some(f)) => v.visit_f64(f),
                (None, None) => Err(Mismatch),
            },
            Value::String(s) => v.visit_string(s),
            Value::Array(a) => v.visit_seq(Seq(a.into_iter())),
            Value::Object(m) => v.visit_map(Fields::new(m)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(De(other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Object(m) => v.visit_map(Fields::new(m)),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Array(a) => v.visit_seq(Seq(a.into_iter())),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::String(s) => v.visit_string(s),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        self.deserialize_string(v)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        self.deserialize_string(v)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0 {
            Value::Bool(b) => v.visit_bool(b),
            _ => Err(Mismatch),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0.as_i64() {
            Some(i) => v.visit_i64(i),
            None => Err(Mismatch),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        match self.0.as_f64() {
            Some(f) => v.visit_f64(f),
            None => Err(Mismatch),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        v.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        v: V,
    ) -> Result<V::Value, Mismatch> {
        v.visit_newtype_struct(self)
    }

    /// A field the type does not name is skipped without looking inside.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Mismatch> {
        v.visit_unit()
    }

    forward_to_deserialize_any! {
        i8 i16 i32 u8 u16 u32 u64 i128 u128 f32 char bytes byte_buf unit_struct tuple
        tuple_struct map enum
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Mismatch;

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Mismatch> {
        self.0.next().map(|v| seed.deserialize(De(v))).transpose()
    }
}

/// An object's fields: names as strings, then values.
struct Fields {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Fields {
    fn new(m: Map<String, Value>) -> Self {
        Self {
            entries: m.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Mismatch;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Mismatch> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key: de::value::StringDeserializer<Mismatch> = k.into_deserializer();
                seed.deserialize(key).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Mismatch> {
        seed.deserialize(De(self.value.take().unwrap_or(Value::Null)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        full_name: String,
        share: f64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        id: String,
        count: i64,
        missing: Option<String>,
        nodes: Vec<Inner>,
        extra: Value,
    }

    #[test]
    fn decodes_structs_lists_options_and_json() -> Result<(), Mismatch> {
        let v = serde_json::json!({
            "id": "7", "count": 3, "ignored": {"deep": [1, 2]},
            "nodes": [{"fullName": "Ли Анна", "share": 0.5}, {"fullName": "Ким", "share": 1}],
            "extra": {"a": [true, null, 1.5, "x"]}
        });
        let o: Outer = from_value(v)?;
        assert_eq!(o.id, "7");
        assert_eq!(o.count, 3);
        assert_eq!(o.missing, None);
        assert_eq!(o.nodes[1].share, 1.0);
        assert_eq!(o.nodes[0].full_name, "Ли Анна");
        assert_eq!(o.extra["a"][2], 1.5);
        Ok(())
    }

    #[test]
    fn a_value_of_the_wrong_type_is_a_mismatch() {
        let r: Result<Outer, _> = from_value(serde_json::json!({ "id": 7 }));
        assert!(r.is_err());
    }
}
