//! Puts a refused submission back into the page it came from: the `<form>` that posted to
//! the refused path gets the values the user sent (text, dates, selects, checkboxes,
//! textareas) and the message beside the field it is about, or at the top of the form.
//!
//! The pages are our own askama templates — double-quoted attributes, no comments inside
//! forms — so a small tag scanner is enough; anything it does not recognise is copied
//! through unchanged. Passwords, files and hidden inputs (the CSRF token, ids) are never
//! written back: the page's own hidden values stay, and a secret is not echoed.

/// What the user sent, in order (a name may repeat: checkboxes, multi-selects).
pub type Fields = [(String, String)];

/// The refused form's fields put back into `page`, with `message_html` (already escaped)
/// beside `field` (or atop the form when `None`). `None` when no form of the page posts to
/// `action`: the caller then shows the plain error page.
pub fn refill(
    page: &str,
    action: &str,
    fields: &Fields,
    field: Option<&str>,
    message_html: &str,
) -> Option<String> {
    let (start, open_end, end) = pick_form(page, action, fields)?;
    let body = &page[open_end..end];
    let filled = fill_body(body, fields, field, message_html);
    let mut out = String::with_capacity(page.len() + message_html.len() * 2 + 256);
    let before = &page[..start];
    // A form folded away in a <details> would hide the message: open it.
    match open_details_at(before) {
        Some(at) => {
            out.push_str(&before[..at]);
            out.push_str("<details open");
            out.push_str(&before[at + "<details".len()..]);
        }
        None => out.push_str(before),
    }
    out.push_str(&page[start..open_end]);
    if field.is_none() || !filled.placed {
        out.push_str(&format!(
            r#"<p class="error" id="form-error" role="alert">{message_html}</p>"#
        ));
    }
    out.push_str(&filled.html);
    out.push_str(&page[end..]);
    Some(out)
}

/// `(start of <form, end of its opening tag, start of </form>)` of the form posting to
/// `action` whose hidden inputs best agree with what was sent (several forms on one page
/// may post to the same path, one per item or per class).
fn pick_form(page: &str, action: &str, fields: &Fields) -> Option<(usize, usize, usize)> {
    let mut best: Option<(i64, (usize, usize, usize))> = None;
    let mut at = 0;
    while let Some(rel) = page[at..].find("<form") {
        let start = at + rel;
        let tag = Tag::parse(&page[start..])?;
        let open_end = start + tag.len;
        let end = open_end + page[open_end..].find("</form>")?;
        at = end;
        let posts = tag
            .get("method")
            .is_some_and(|m| m.eq_ignore_ascii_case("post"));
        let target = tag.get("action").unwrap_or_default();
        let target = target.split(['?', '#']).next().unwrap_or_default();
        if !posts || target != action {
            continue;
        }
        let score = hidden_agreement(&page[open_end..end], fields);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, (start, open_end, end)));
        }
    }
    best.map(|(_, span)| span)
}

/// +1 for each hidden input whose value is what was sent under its name, -1 for each that
/// differs (the CSRF token is the same in every form, so it does not decide).
fn hidden_agreement(body: &str, fields: &Fields) -> i64 {
    let mut score = 0;
    for (_, tag) in tags(body, "<input") {
        if tag.get("type").as_deref() != Some("hidden") {
            continue;
        }
        let (Some(name), value) = (tag.get("name"), tag.get("value").unwrap_or_default()) else {
            continue;
        };
        let sent = values(fields, &name);
        if sent.is_empty() {
            continue;
        }
        score += if sent.contains(&value.as_str()) {
            1
        } else {
            -1
        };
    }
    score
}

/// The opening tags named `prefix` in `html`, with their offsets.
fn tags<'a>(html: &'a str, prefix: &'a str) -> impl Iterator<Item = (usize, Tag)> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let rel = html[at..].find(prefix)?;
        let start = at + rel;
        at = start + prefix.len();
        if let Some(tag) = Tag::parse(&html[start..]) {
            if tag.name.eq_ignore_ascii_case(&prefix[1..]) {
                at = start + tag.len;
                return Some((start, tag));
            }
        }
    })
}

fn values<'f>(fields: &'f Fields, name: &str) -> Vec<&'f str> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Where `<details` opens, unclosed, before a form (the last one still open), if any.
fn open_details_at(before: &str) -> Option<usize> {
    let at = before.rfind("<details")?;
    let tag = Tag::parse(&before[at..])?;
    let closed = before[at..].contains("</details>");
    (!closed && tag.get("open").is_none()).then_some(at)
}

struct Filled {
    html: String,
    /// Whether the message found its field.
    placed: bool,
}

fn fill_body(body: &str, fields: &Fields, field: Option<&str>, message_html: &str) -> Filled {
    let mut out = String::with_capacity(body.len() + 256);
    let mut placed = false;
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut select: Option<String> = None;
    let mut rest = body;
    let note = |name: &str| {
        format!(
            r#"<span class="error field-error" id="error-{}" role="alert">{message_html}</span>"#,
            escape(name)
        )
    };
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(mut tag) = Tag::parse(rest) else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let raw_len = tag.len;
        let name = tag.get("name");
        let is_target = name.is_some() && name.as_deref() == field && !placed;
        match tag.name.to_ascii_lowercase().as_str() {
            "input" => {
                let kind = tag.get("type").unwrap_or_else(|| "text".into());
                let kind = kind.to_ascii_lowercase();
                let writable = !matches!(
                    kind.as_str(),
                    "hidden" | "password" | "file" | "submit" | "button" | "reset" | "image"
                );
                if let (Some(n), true) = (&name, writable) {
                    let sent = values(fields, n);
                    if kind == "checkbox" || kind == "radio" {
                        let v = tag.get("value").unwrap_or_else(|| "on".into());
                        tag.set_flag("checked", sent.contains(&v.as_str()));
                    } else {
                        let nth = next_index(&mut seen, n);
                        if let Some(v) = sent.get(nth) {
                            tag.set("value", v);
                        }
                    }
                }
                if is_target && writable {
                    tag.set("aria-invalid", "true");
                    out.push_str(&tag.render());
                    out.push_str(&note(field.unwrap_or_default()));
                    placed = true;
                } else {
                    out.push_str(&tag.render());
                }
                rest = &rest[raw_len..];
            }
            "select" => {
                select = name.clone();
                if is_target {
                    tag.set("aria-invalid", "true");
                }
                out.push_str(&tag.render());
                rest = &rest[raw_len..];
            }
            "option" => {
                if let Some(n) = &select {
                    let sent = values(fields, n);
                    let v = match tag.get("value") {
                        Some(v) => v,
                        None => unescape(option_text(&rest[raw_len..]).trim()),
                    };
                    tag.set_flag("selected", sent.contains(&v.as_str()));
                }
                out.push_str(&tag.render());
                rest = &rest[raw_len..];
            }
            "textarea" => {
                let inner = &rest[raw_len..];
                let close = inner.find("</textarea>").unwrap_or(inner.len());
                if is_target {
                    tag.set("aria-invalid", "true");
                }
                out.push_str(&tag.render());
                let sent = name
                    .as_deref()
                    .map(|n| values(fields, n))
                    .unwrap_or_default();
                match sent.first() {
                    Some(v) => out.push_str(&escape(v)),
                    None => out.push_str(&inner[..close]),
                }
                out.push_str("</textarea>");
                if is_target {
                    out.push_str(&note(field.unwrap_or_default()));
                    placed = true;
                }
                rest = &inner[(close + "</textarea>".len()).min(inner.len())..];
            }
            _ if rest.starts_with("</select>") => {
                out.push_str("</select>");
                rest = &rest["</select>".len()..];
                if let (Some(n), Some(f)) = (select.take(), field) {
                    if n == f && !placed {
                        out.push_str(&note(f));
                        placed = true;
                    }
                }
            }
            _ => {
                out.push_str(&rest[..raw_len]);
                rest = &rest[raw_len..];
            }
        }
    }
    out.push_str(rest);
    Filled { html: out, placed }
}

fn next_index(seen: &mut Vec<(String, usize)>, name: &str) -> usize {
    match seen.iter_mut().find(|(n, _)| n == name) {
        Some((_, i)) => {
            *i += 1;
            *i
        }
        None => {
            seen.push((name.to_string(), 0));
            0
        }
    }
}

fn option_text(after: &str) -> &str {
    let end = after.find('<').unwrap_or(after.len());
    &after[..end]
}

/// One opening (or closing) tag as written: its name, its attributes (values still
/// escaped as in the page) and its length in the source.
struct Tag {
    name: String,
    attrs: Vec<(String, Option<String>)>,
    len: usize,
    self_closing: bool,
}

impl Tag {
    /// The tag at the start of `s` (`s` starts with `<`).
    fn parse(s: &str) -> Option<Tag> {
        let b = s.as_bytes();
        if b.first() != Some(&b'<') {
            return None;
        }
        let mut i = 1;
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'/' && i == 1) {
            i += 1;
        }
        let name = s[name_start..i].to_string();
        if name.is_empty() {
            return None;
        }
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i)? {
                b'>' => {
                    return Some(Tag {
                        name,
                        attrs,
                        len: i + 1,
                        self_closing: false,
                    })
                }
                b'/' if b.get(i + 1) == Some(&b'>') => {
                    return Some(Tag {
                        name,
                        attrs,
                        len: i + 2,
                        self_closing: true,
                    })
                }
                _ => {}
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            if a == i {
                // A stray '/' inside the tag: skip it.
                i += 1;
                continue;
            }
            let key = s[a..i].to_string();
            if b.get(i) == Some(&b'=') {
                i += 1;
                let (v, next) = match b.get(i)? {
                    q @ (b'"' | b'\'') => {
                        let close = s[i + 1..].find(*q as char)? + i + 1;
                        (s[i + 1..close].to_string(), close + 1)
                    }
                    _ => {
                        let e = s[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(s.len(), |e| e + i);
                        (s[i..e].to_string(), e)
                    }
                };
                attrs.push((key, Some(v)));
                i = next;
            } else {
                attrs.push((key, None));
            }
        }
    }

    /// An attribute's value, unescaped (`""` for a bare attribute).
    fn get(&self, key: &str) -> Option<String> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_deref().map(unescape).unwrap_or_default())
    }

    /// Sets `key` to the plain text `value` (escaped here).
    fn set(&mut self, key: &str, value: &str) {
        let v = Some(escape(value));
        match self
            .attrs
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
        {
            Some(slot) => slot.1 = v,
            None => self.attrs.push((key.to_string(), v)),
        }
    }

    /// Adds or removes a bare attribute (`checked`, `selected`).
    fn set_flag(&mut self, key: &str, on: bool) {
        self.attrs.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
        if on {
            self.attrs.push((key.to_string(), None));
        }
    }

    fn render(&self) -> String {
        let mut out = format!("<{}", self.name);
        for (k, v) in &self.attrs {
            match v {
                Some(v) => out.push_str(&format!(r#" {k}="{v}""#)),
                None => out.push_str(&format!(" {k}")),
            }
        }
        out.push_str(if self.self_closing { "/>" } else { ">" });
        out
    }
}

/// Text made safe for an attribute value or element content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// An attribute value as the browser reads it (the entities askama writes, and numeric ones).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const PAGE: &str = concat!(
        r#"<main><form method="post" action="/other"><input name="at" value="x"></form>"#,
        r#"<details><summary>s</summary><form method="post" action="/n/1/events?lang=en">"#,
        r#"<input type="hidden" name="csrf" value="t">"#,
        r#"<label>Kind <select name="kind"><option value="graded" selected>G</option><option value="launched">L</option></select></label>"#,
        r#"<label>On <input type="date" name="at" value="" required></label>"#,
        r#"<label><input type="checkbox" name="flag" value="cii" checked> CII</label>"#,
        r#"<label><input type="checkbox" name="flag" value="pi"> PI</label>"#,
        r#"<input type="password" name="password" value="">"#,
        r#"<textarea name="note">old</textarea><button>Save</button></form></details></main>"#
    );

    #[test]
    fn the_posted_form_gets_the_input_back_and_the_message_beside_the_field() {
        let fields = sent(&[
            ("csrf", "t"),
            ("kind", "launched"),
            ("at", "2030-01-01"),
            ("flag", "pi"),
            ("password", "secret"),
            ("note", "a <b> & \"c\""),
        ]);
        let out = refill(PAGE, "/n/1/events", &fields, Some("at"), "不能晚于今天").unwrap();
        assert!(
            out.contains(r#"<option value="launched" selected>"#),
            "{out}"
        );
        assert!(out.contains(r#"<option value="graded">"#), "{out}");
        assert!(out.contains(r#"value="2030-01-01""#), "{out}");
        assert!(out.contains(r#"aria-invalid="true"><span class="error field-error" id="error-at" role="alert">不能晚于今天</span>"#), "{out}");
        assert!(
            out.contains(r#"value="cii">"#) && out.contains(r#"value="pi" checked>"#),
            "{out}"
        );
        assert!(!out.contains("secret"), "a password is never echoed");
        assert!(out.contains("<textarea name=\"note\">a &lt;b&gt; &amp; &quot;c&quot;</textarea>"));
        assert!(out.contains("<details open>"), "{out}");
        // The other form is untouched.
        assert!(out
            .contains(r#"<form method="post" action="/other"><input name="at" value="x"></form>"#));
    }

    #[test]
    fn a_message_about_no_field_of_the_form_goes_atop_it() {
        let fields = sent(&[("kind", "graded"), ("at", "2026-01-05")]);
        let out = refill(PAGE, "/n/1/events", &fields, None, "已撤销").unwrap();
        assert!(out.contains(r#"action="/n/1/events?lang=en"><p class="error" id="form-error" role="alert">已撤销</p>"#), "{out}");
        let unknown = refill(PAGE, "/n/1/events", &fields, Some("nope"), "x").unwrap();
        assert!(unknown.contains(r#"id="form-error""#));
    }

    #[test]
    fn of_several_forms_on_one_path_the_one_whose_hidden_ids_match_is_filled() {
        let page = concat!(
            r#"<form method="post" action="/t"><input type="hidden" name="item" value="A"><input name="due" value=""></form>"#,
            r#"<form method="post" action="/t"><input type="hidden" name="item" value="B"><input name="due" value=""></form>"#
        );
        let out = refill(
            page,
            "/t",
            &sent(&[("item", "B"), ("due", "2027-01-01")]),
            Some("due"),
            "m",
        )
        .unwrap();
        let second = out.find(r#"value="B""#).unwrap();
        assert!(out[second..].contains("2027-01-01"));
        assert!(!out[..second].contains("2027-01-01"));
        assert!(refill(page, "/elsewhere", &[], None, "m").is_none());
    }
}
