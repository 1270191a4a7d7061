//! A small JSON Schema draft-07 validator, for tests only: no validator crate is available
//! offline, and Python's jsonschema cannot compile OSCAL's `\p{L}` patterns (decision 0413).
//! It covers the keywords the pinned OSCAL schemas use and a few more; any other keyword —
//! in the schema or in a `$ref`'s siblings — is reported as an error, never skipped, so a
//! newer schema can't pass a document the validator did not really check (fail closed).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use regex::Regex;
use serde_json::Value;

/// Keywords that only describe: they assert nothing in draft-07.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "definitions",
    // draft-07 makes contentEncoding an annotation (§8.3): validators need not decode.
    "contentEncoding",
    "default",
    "examples",
];

/// Keywords this validator checks.
const ASSERTIONS: &[&str] = &[
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "minItems",
    "maxItems",
    "enum",
    "const",
    "pattern",
    "anyOf",
    "oneOf",
    "allOf",
    "not",
    "format",
    "minimum",
];

/// Errors kept per validation: enough to diagnose, few enough to read.
const MAX_ERRORS: usize = 40;

pub struct Validator {
    root: Value,
    /// `$id` → the subschema that declares it (OSCAL refers to `#assembly_…` ids as well as
    /// to `#/definitions/…` pointers).
    ids: HashMap<String, Value>,
    regexes: RefCell<HashMap<String, Result<Regex, String>>>,
}

impl Validator {
    /// The pinned schema `name` of `data/controls/oscal-schema` (from any crate of the
    /// workspace: every crate sits two levels below its root).
    pub fn pinned(name: &str) -> Validator {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/controls/oscal-schema");
        let text = std::fs::read_to_string(root.join(name)).expect("the pinned schema"); // ok: test support; a missing schema is a broken checkout
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON"); // ok: test support; pinned files are checked JSON
        Validator::new(schema)
    }

    pub fn new(root: Value) -> Validator {
        let mut ids = HashMap::new();
        collect_ids(&root, &mut ids);
        Validator {
            root,
            ids,
            regexes: RefCell::new(HashMap::new()),
        }
    }

    /// Every way `doc` breaks the schema (at most `MAX_ERRORS`), each with its JSON path.
    pub fn validate(&self, doc: &Value) -> Result<(), Vec<String>> {
        let mut errs = Vec::new();
        self.check(&self.root, doc, "$", &mut errs, 0);
        errs.truncate(MAX_ERRORS);
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs)
        }
    }

    fn resolve(&self, r: &str) -> Option<&Value> {
        if let Some(pointer) = r.strip_prefix('#') {
            if pointer.starts_with('/') {
                if let Some(found) = self.root.pointer(pointer) {
                    return Some(found);
                }
            }
        }
        self.ids.get(r)
    }

    fn regex(&self, pattern: &str) -> Result<Regex, String> {
        self.regexes
            .borrow_mut()
            .entry(pattern.to_string())
            .or_insert_with(|| Regex::new(pattern).map_err(|e| e.to_string()))
            .clone()
    }

    fn check(&self, schema: &Value, v: &Value, at: &str, errs: &mut Vec<String>, depth: usize) {
        if depth > 256 {
            errs.push(format!("{at}: schema recursion deeper than 256"));
            return;
        }
        let obj = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                return errs.push(format!("{at}: not allowed here (schema false)"))
            }
            Value::Object(o) => o,
            _ => return errs.push(format!("{at}: the schema is not an object or boolean")),
        };
        for k in obj.keys() {
            if !ANNOTATIONS.contains(&k.as_str()) && !ASSERTIONS.contains(&k.as_str()) {
                errs.push(format!("{at}: unknown schema keyword {k:?} (fail closed)"));
            }
        }
        if let Some(r) = obj.get("$ref") {
            // draft-07 ignores a $ref's siblings: an assertion there would silently not be
            // checked, so it is an error rather than a pass.
            for k in obj.keys() {
                if k != "$ref" && ASSERTIONS.contains(&k.as_str()) {
                    errs.push(format!("{at}: {k:?} beside $ref is ignored by draft-07"));
                }
            }
            match r.as_str().and_then(|r| self.resolve(r)) {
                Some(target) => self.check(target, v, at, errs, depth + 1),
                None => errs.push(format!("{at}: unresolved $ref {r}")),
            }
            return;
        }
        for (k, kv) in obj {
            self.keyword(k, kv, obj, v, at, errs, depth);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn keyword(
        &self,
        k: &str,
        kv: &Value,
        obj: &serde_json::Map<String, Value>,
        v: &Value,
        at: &str,
        errs: &mut Vec<String>,
        depth: usize,
    ) {
        match k {
            "type" => {
                let types: Vec<&str> = match kv {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => return errs.push(format!("{at}: bad \"type\" in schema")),
                };
                if !types.iter().any(|t| is_type(v, t)) {
                    errs.push(format!("{at}: expected {types:?}, found {}", kind(v)));
                }
            }
            "properties" => {
                let (Some(props), Some(o)) = (kv.as_object(), v.as_object()) else {
                    return;
                };
                for (name, sub) in props {
                    if let Some(x) = o.get(name) {
                        self.check(sub, x, &format!("{at}.{name}"), errs, depth + 1);
                    }
                }
            }
            "additionalProperties" => {
                let Some(o) = v.as_object() else { return };
                let declared = obj.get("properties").and_then(Value::as_object);
                for (name, x) in o {
                    if declared.is_some_and(|d| d.contains_key(name)) {
                        continue;
                    }
                    if *kv == Value::Bool(false) {
                        errs.push(format!("{at}: property {name:?} is not allowed"));
                    } else {
                        self.check(kv, x, &format!("{at}.{name}"), errs, depth + 1);
                    }
                }
            }
            "required" => {
                let Some(o) = v.as_object() else { return };
                for name in kv
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !o.contains_key(name) {
                        errs.push(format!("{at}: required property {name:?} is missing"));
                    }
                }
            }
            "items" => {
                let Some(a) = v.as_array() else { return };
                match kv {
                    Value::Array(tuple) => {
                        for (i, (sub, x)) in tuple.iter().zip(a).enumerate() {
                            self.check(sub, x, &format!("{at}[{i}]"), errs, depth + 1);
                        }
                    }
                    sub => {
                        for (i, x) in a.iter().enumerate() {
                            self.check(sub, x, &format!("{at}[{i}]"), errs, depth + 1);
                        }
                    }
                }
            }
            "minItems" | "maxItems" => {
                let (Some(a), Some(n)) = (v.as_array(), kv.as_u64()) else {
                    return;
                };
                let len = a.len() as u64;
                if (k == "minItems" && len < n) || (k == "maxItems" && len > n) {
                    errs.push(format!("{at}: {len} items, {k} is {n}"));
                }
            }
            "enum" if !kv.as_array().is_some_and(|a| a.contains(v)) => {
                errs.push(format!("{at}: {v} is not one of {kv}"));
            }
            "const" if kv != v => errs.push(format!("{at}: {v} is not {kv}")),
            "pattern" => {
                let (Some(p), Some(s)) = (kv.as_str(), v.as_str()) else {
                    return;
                };
                match self.regex(p) {
                    Ok(re) if re.is_match(s) => {}
                    Ok(_) => errs.push(format!("{at}: {s:?} does not match {p}")),
                    Err(e) => errs.push(format!("{at}: pattern {p} does not compile: {e}")),
                }
            }
            "format" => {
                let Some(s) = v.as_str() else { return };
                let f = kv.as_str().unwrap_or_default();
                match format_ok(f, s) {
                    Some(true) => {}
                    Some(false) => errs.push(format!("{at}: {s:?} is not a valid {f}")),
                    None => errs.push(format!("{at}: unknown format {f:?} (fail closed)")),
                }
            }
            "minimum" => {
                if let (Some(x), Some(min)) = (v.as_f64(), kv.as_f64()) {
                    if x < min {
                        errs.push(format!("{at}: {x} is below the minimum {min}"));
                    }
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                let subs = kv.as_array().map(Vec::as_slice).unwrap_or_default();
                let outcomes: Vec<Vec<String>> = subs
                    .iter()
                    .map(|s| {
                        let mut e = Vec::new();
                        self.check(s, v, at, &mut e, depth + 1);
                        e
                    })
                    .collect();
                let passed = outcomes.iter().filter(|e| e.is_empty()).count();
                match k {
                    "allOf" => errs.extend(outcomes.into_iter().flatten()),
                    "anyOf" if passed == 0 => {
                        errs.push(format!("{at}: matches none of anyOf"));
                        // Every alternative's errors: which one was meant is the reader's call.
                        for (i, e) in outcomes.into_iter().enumerate() {
                            errs.extend(e.into_iter().map(|m| format!("anyOf[{i}] {m}")));
                        }
                    }
                    "oneOf" if passed != 1 => {
                        errs.push(format!("{at}: matches {passed} of oneOf, not exactly 1"))
                    }
                    _ => {}
                }
            }
            "not" => {
                let mut e = Vec::new();
                self.check(kv, v, at, &mut e, depth + 1);
                if e.is_empty() {
                    errs.push(format!("{at}: matches a schema it must not"));
                }
            }
            _ => {} // annotations; unknown keywords were reported by `check`
        }
    }
}

fn collect_ids(s: &Value, ids: &mut HashMap<String, Value>) {
    match s {
        Value::Object(o) => {
            if let Some(id) = o.get("$id").and_then(Value::as_str) {
                if id.starts_with('#') {
                    ids.insert(id.to_string(), s.clone());
                }
            }
            o.values().for_each(|x| collect_ids(x, ids));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_ids(x, ids)),
        _ => {}
    }
}

fn is_type(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The formats OSCAL uses, by pattern (RFC 3339, RFC 3986 forms, RFC 4122); `None` for a
/// format this validator does not know, which the caller reports as an error.
fn format_ok(format: &str, s: &str) -> Option<bool> {
    let pattern = match format {
        "date-time" => r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
        "uri" => r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$",
        "uri-reference" => r"^[^\s]*$",
        "uuid" => r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
        "email" => r"^[^@\s]+@[^@\s]+$",
        _ => return None,
    };
    Regex::new(pattern).ok().map(|re| re.is_match(s))
}
