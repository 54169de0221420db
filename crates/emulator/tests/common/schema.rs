//! A checker for the part of Swagger 2 the tokens spec uses: `type`, `properties`,
//! `items`, `$ref` to `#/definitions/…`, `enum`, and the formats `date-time` and `uuid`.
//!
//! Stricter than Swagger where the emulator should be: an object may not carry a
//! property the definition lacks, and a `date-time` must be UTC with a `Z` and at most
//! 7 fractional digits. Any property may be `null`: Swagger 2 cannot say so, yet the
//! service writes `null` (`token`, `targetAccounts`).

use serde_json::Value;

pub struct Spec {
    definitions: Value,
}

impl Spec {
    pub fn load() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/spec/tokens.json");
        let text = std::fs::read_to_string(path).expect("the spec");
        let spec: Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("spec JSON");
        Spec {
            definitions: spec["definitions"].clone(),
        }
    }

    /// Every violation of `definition` by `value`, with its JSON path.
    pub fn violations(&self, definition: &str, value: &Value) -> Vec<String> {
        let mut found = Vec::new();
        let schema = self.definitions[definition].clone();
        assert!(!schema.is_null(), "no definition {definition}");
        self.check(&schema, value, "$", &mut found);
        found
    }

    pub fn assert_valid(&self, definition: &str, value: &Value) {
        let found = self.violations(definition, value);
        assert!(found.is_empty(), "{definition}: {found:#?}\n{value:#}");
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/definitions/")
                .unwrap_or_else(|| panic!("unsupported $ref {reference}"));
            let target = self.definitions[name].clone();
            self.check(&target, value, at, found);
            return;
        }
        if value.is_null() {
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            found.push(format!("{at}: {value} is not one of the enum values"));
        }
        let Some(kind) = schema.get("type").and_then(Value::as_str) else {
            return;
        };
        let type_ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            other => panic!("unsupported type {other}"),
        };
        if !type_ok {
            found.push(format!("{at}: expected {kind}, found {value}"));
            return;
        }
        match kind {
            "object" => self.check_object(schema, value, at, found),
            "array" => {
                if let Some(items) = schema.get("items") {
                    for (index, item) in value.as_array().into_iter().flatten().enumerate() {
                        self.check(items, item, &format!("{at}[{index}]"), found);
                    }
                }
            }
            "string" => check_format(schema, value, at, found),
            _ => {}
        }
    }

    fn check_object(&self, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, member) in value.as_object().into_iter().flatten() {
            match properties.and_then(|properties| properties.get(key)) {
                Some(property) => self.check(property, member, &format!("{at}.{key}"), found),
                None => found.push(format!("{at}: unexpected property '{key}'")),
            }
        }
    }
}

fn check_format(schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let text = value.as_str().unwrap_or_default();
    match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => {
            if let Err(problem) = service_date(text) {
                found.push(format!("{at}: {text}: {problem}"));
            }
        }
        Some("uuid") if uuid::Uuid::parse_str(text).is_err() => {
            found.push(format!("{at}: {text} is not a uuid"));
        }
        _ => {}
    }
}

/// The service's date form: RFC 3339, UTC with `Z`, at most 7 fractional digits.
pub fn service_date(text: &str) -> Result<(), String> {
    text.parse::<jiff::Timestamp>()
        .map_err(|error| format!("not RFC 3339: {error}"))?;
    if !text.ends_with('Z') {
        return Err("does not end in Z".into());
    }
    if let Some((_, fraction)) = text.trim_end_matches('Z').split_once('.') {
        if fraction.is_empty() || fraction.len() > 7 {
            return Err(format!("{} fractional digits", fraction.len()));
        }
        if fraction.ends_with('0') {
            return Err("trailing zero in the fraction".into());
        }
    }
    Ok(())
}
