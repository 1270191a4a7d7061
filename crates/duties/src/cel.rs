//! The profile as CEL variables, and applicability conditions compiled once.
//!
//! Every condition is a pure function of the profile's discrete attributes, so besides
//! compiling each distinct condition once, [`Engine`](crate::Engine) memoises its result per
//! the values of the variables it actually references (a bit signature below).

use std::collections::HashMap;
use std::sync::Arc;

use cel_interpreter::objects::{Key, Map};
use cel_interpreter::{Context, Program, Value};

use crate::profile::{Profile, EVENTS};

/// The variables a condition may use. Anything else is a catalog error.
pub const VARIABLES: &[&str] = &[
    "level",
    "previous_level",
    "stage",
    "cii",
    "classified",
    "personal_info",
    "important_data",
    "personal_info_people",
    "services",
    "new_tech",
    "overseas_maintenance",
    "cross_border_data",
    "competent_department",
    "cross_province",
    "government",
    "licensed_business",
    "roles",
    "industry",
    "has_event",
];

/// Bits of the signature each variable occupies; `None` = not memoisable (free text).
fn variable_mask(name: &str) -> Option<u128> {
    let bits = |from: u32, n: u32| -> u128 { ((1u128 << n) - 1) << from };
    Some(match name {
        "level" => bits(0, 3),
        "stage" => bits(3, 2),
        "cii" => bits(5, 1),
        "classified" => bits(6, 2),
        "personal_info" => bits(8, 1),
        "services" => bits(9, 7),
        "new_tech" => bits(16, 6),
        "overseas_maintenance" => bits(22, 1),
        "cross_border_data" => bits(23, 1),
        "competent_department" => bits(24, 1),
        "cross_province" => bits(25, 1),
        "government" => bits(26, 1),
        "licensed_business" => bits(27, 1),
        "roles" => bits(28, 4),
        "has_event" => bits(32, EVENTS.len() as u32),
        "previous_level" => bits(100, 3),
        "important_data" => bits(103, 1),
        // A count: no bits; the memo key carries its exact value instead (`reads_count`).
        "personal_info_people" => 0,
        _ => return None,
    })
}

// Events occupy bits 32.. and must stay below `previous_level`'s bits 100–102
// (`important_data` is bit 103).
const _: () = assert!(32 + EVENTS.len() <= 100);

/// The profile's discrete attributes packed into bits (see [`variable_mask`]).
pub(crate) fn signature(p: &Profile) -> u128 {
    let n = &p.network;
    let mut s: u128 = u128::from(p.level.get());
    s |= (n.stage as u128) << 3;
    s |= u128::from(n.cii) << 5;
    s |= (n.classified as u128) << 6;
    s |= u128::from(n.personal_info) << 8;
    for v in &n.services {
        s |= 1u128 << (9 + *v as u32);
    }
    for v in &n.new_tech {
        s |= 1u128 << (16 + *v as u32);
    }
    s |= u128::from(n.overseas_maintenance) << 22;
    s |= u128::from(n.cross_border_data) << 23;
    s |= u128::from(n.competent_department) << 24;
    s |= u128::from(n.cross_province) << 25;
    s |= u128::from(n.government) << 26;
    s |= u128::from(n.licensed_business) << 27;
    for v in &n.roles {
        s |= 1u128 << (28 + *v as u32);
    }
    for (i, e) in p.events.iter().enumerate() {
        if e.is_some() {
            s |= 1u128 << (32 + i);
        }
    }
    s |= (n.previous_level.unwrap_or(0).clamp(0, 7) as u128) << 100;
    s |= u128::from(n.important_data) << 103;
    s
}

/// One distinct condition, compiled.
pub(crate) struct Condition {
    pub program: Program,
    /// The signature bits it depends on; `None` when it reads free text (`industry`).
    pub mask: Option<u128>,
    /// It reads `personal_info_people`, whose exact value joins the memo key: without it a
    /// count would make the condition unmemoisable and every network bind a CEL context.
    pub reads_count: bool,
}

impl Condition {
    /// Compiles `source`; the error names the unknown variable or the parse problem.
    pub fn compile(source: &str) -> Result<Condition, String> {
        let program = Program::compile(source).map_err(|e| e.to_string())?;
        let refs = program.references();
        let mut mask = Some(0u128);
        for var in refs.variables() {
            if !VARIABLES.contains(&var) {
                return Err(format!(
                    "unknown variable `{var}`; known: {}",
                    VARIABLES.join(", ")
                ));
            }
            mask = match (mask, variable_mask(var)) {
                (Some(m), Some(v)) => Some(m | v),
                _ => None,
            };
        }
        let reads_count = refs.variables().contains(&"personal_info_people");
        Ok(Condition {
            program,
            mask,
            reads_count,
        })
    }

    /// Runs the condition; a non-boolean result is an error.
    pub fn run(&self, ctx: &Context) -> Result<bool, String> {
        match self.program.execute(ctx) {
            Ok(Value::Bool(b)) => Ok(b),
            Ok(other) => Err(format!("expected a boolean, got {other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn strings<I: IntoIterator<Item = &'static str>>(it: I) -> Value {
    Value::List(Arc::new(
        it.into_iter()
            .map(|s| Value::String(Arc::new(s.to_string())))
            .collect(),
    ))
}

fn string(s: &str) -> Value {
    Value::String(Arc::new(s.to_string()))
}

/// Binds the profile's variables in a child scope of `root` (which holds the functions).
pub(crate) fn bind<'a>(root: &'a Context<'a>, p: &Profile) -> Context<'a> {
    let n = &p.network;
    let mut ctx = root.new_inner_scope();
    ctx.add_variable_from_value("level", Value::Int(i64::from(p.level.get())));
    ctx.add_variable_from_value("previous_level", Value::Int(n.previous_level.unwrap_or(0)));
    ctx.add_variable_from_value("stage", string(n.stage.id()));
    ctx.add_variable_from_value("cii", Value::Bool(n.cii));
    ctx.add_variable_from_value("classified", string(n.classified.id()));
    ctx.add_variable_from_value("personal_info", Value::Bool(n.personal_info));
    ctx.add_variable_from_value("important_data", Value::Bool(n.important_data));
    ctx.add_variable_from_value(
        "personal_info_people",
        Value::Int(n.personal_info_people.unwrap_or(0)),
    );
    ctx.add_variable_from_value("services", strings(n.services.iter().map(|s| s.id())));
    ctx.add_variable_from_value("new_tech", strings(n.new_tech.iter().map(|s| s.id())));
    ctx.add_variable_from_value("overseas_maintenance", Value::Bool(n.overseas_maintenance));
    ctx.add_variable_from_value("cross_border_data", Value::Bool(n.cross_border_data));
    ctx.add_variable_from_value("competent_department", Value::Bool(n.competent_department));
    ctx.add_variable_from_value("cross_province", Value::Bool(n.cross_province));
    ctx.add_variable_from_value("government", Value::Bool(n.government));
    ctx.add_variable_from_value("licensed_business", Value::Bool(n.licensed_business));
    ctx.add_variable_from_value("roles", strings(n.roles.iter().map(|s| s.id())));
    ctx.add_variable_from_value("industry", string(n.industry.as_deref().unwrap_or("")));
    let mut events: HashMap<Key, Value> = HashMap::with_capacity(EVENTS.len());
    for (i, (name, _)) in EVENTS.iter().enumerate() {
        let has = p.events.get(i).is_some_and(|e| e.is_some());
        events.insert(Key::from(*name), Value::Bool(has));
    }
    ctx.add_variable_from_value(
        "has_event",
        Value::Map(Map {
            map: Arc::new(events),
        }),
    );
    ctx
}
