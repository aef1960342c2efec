//! OTLP JSON attribute lists (`[{"key":…, "value":{"stringValue":…}}]`) read as plain values. OTLP writes 64-bit
//! integers as strings (`"intValue":"42"`), and some exporters as numbers; both are accepted.

use serde_json::{Map, Number, Value};

pub(super) struct Attributes(Vec<(String, Value)>);

impl Attributes {
    pub fn from_list(list: Option<&Value>) -> Attributes {
        let Some(Value::Array(items)) = list else {
            return Attributes(Vec::new());
        };
        let pairs = items
            .iter()
            .filter_map(|item| {
                let key = item.get("key")?.as_str()?;
                Some((key.to_string(), item.get("value").map_or(Value::Null, any_value)))
            })
            .collect();
        Attributes(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The first of `keys` present, as text (strings as they are, anything else as JSON).
    pub fn text(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| match self.get(k)? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
    }

    pub fn count(&self, keys: &[&str]) -> Option<u64> {
        keys.iter().find_map(|k| match self.get(k)? {
            Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    pub fn number(&self, keys: &[&str]) -> Option<f64> {
        keys.iter().find_map(|k| match self.get(k)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }
}

/// An OTLP `AnyValue` as the JSON value it stands for.
pub(super) fn any_value(v: &Value) -> Value {
    let Value::Object(map) = v else {
        return v.clone();
    };
    if let Some(s) = map.get("stringValue").or_else(|| map.get("string_value")) {
        return s.clone();
    }
    if let Some(i) = map.get("intValue").or_else(|| map.get("int_value")) {
        return match i {
            Value::String(s) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| i.clone()),
            other => other.clone(),
        };
    }
    if let Some(d) = map.get("doubleValue").or_else(|| map.get("double_value")) {
        return match d {
            Value::String(s) => {
                s.parse::<f64>().ok().and_then(Number::from_f64).map_or_else(|| d.clone(), Value::Number)
            }
            other => other.clone(),
        };
    }
    if let Some(b) = map.get("boolValue").or_else(|| map.get("bool_value")) {
        return b.clone();
    }
    if let Some(b) = map.get("bytesValue").or_else(|| map.get("bytes_value")) {
        return b.clone();
    }
    if let Some(list) = map.get("arrayValue").or_else(|| map.get("array_value")) {
        return Value::Array(values(list).iter().map(any_value).collect());
    }
    if let Some(list) = map.get("kvlistValue").or_else(|| map.get("kvlist_value")) {
        return Value::Object(kvlist(values(list)));
    }
    Value::Null
}

fn values(list: &Value) -> &[Value] {
    list.get("values").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn kvlist(items: &[Value]) -> Map<String, Value> {
    items
        .iter()
        .filter_map(|item| {
            Some((item.get("key")?.as_str()?.to_string(), item.get("value").map_or(Value::Null, any_value)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn otlp_any_values_read_as_the_values_they_stand_for() {
        let list = json!([
            {"key": "s", "value": {"stringValue": "x"}},
            {"key": "i", "value": {"intValue": "42"}},
            {"key": "n", "value": {"intValue": 7}},
            {"key": "d", "value": {"doubleValue": 0.25}},
            {"key": "b", "value": {"boolValue": true}},
            {"key": "a", "value": {"arrayValue": {"values": [{"stringValue": "stop"}]}}},
            {"key": "m", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"intValue": "1"}}]}}},
            {"key": "empty", "value": {}},
        ]);
        let attrs = Attributes::from_list(Some(&list));
        assert_eq!(attrs.text(&["missing", "s"]).as_deref(), Some("x"));
        assert_eq!((attrs.count(&["i"]), attrs.count(&["n"])), (Some(42), Some(7)));
        assert_eq!(attrs.number(&["d"]), Some(0.25));
        assert_eq!(attrs.text(&["b"]).as_deref(), Some("true"));
        assert_eq!(attrs.text(&["a"]).as_deref(), Some(r#"["stop"]"#));
        assert_eq!(attrs.text(&["m"]).as_deref(), Some(r#"{"k":1}"#));
        assert!(!attrs.has("empty"));
    }
}
