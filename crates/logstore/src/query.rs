//! The query language (documented in docs/logs.md):
//!
//! ```text
//! query   := or
//! or      := and ("OR" and)*
//! and     := unary (["AND"] unary)*          juxtaposition is AND
//! unary   := ("NOT" | "-") unary | primary
//! primary := "(" query ")" | field ":" value | "\"phrase\"" | word
//! field   := host | app | network | source | severity   (value may be quoted, end in *)
//! ```
//! * `"Invalid user"` — exact, case-sensitive substring of the raw line, as `grep -F` does.
//! * `sshd`, `admin*` — a whole token (letters, digits, `_`), case-insensitive; `*` = prefix.
//! * `10.0.0.1`, `/etc/passwd`, `登录失败` — a word with punctuation or CJK is a
//!   case-insensitive substring.
//! * `severity:err`, `severity:<=warning` — syslog severity by name or number.

use crate::error::{Error, Result};
use crate::record::severity_from_name;

#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    All,
    /// Whole token, lower-case ASCII.
    Term(String),
    /// Token prefix, lower-case ASCII.
    Prefix(String),
    Substr {
        text: String,
        case_sensitive: bool,
    },
    Field {
        field: Field,
        value: String,
        prefix: bool,
    },
    Severity {
        op: Cmp,
        level: u8,
    },
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Host,
    App,
    Network,
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Le,
    Ge,
    Lt,
    Gt,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Quoted(String),
    Word(String),
    FieldVal(String, String, bool),
}

fn lex(s: &str) -> Result<Vec<Tok>> {
    let bad = |m: String| Error::Invalid(format!("query: {m} / 查询语法错误"));
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    let quoted = |i: &mut usize| -> Result<String> {
        let start = *i;
        *i += 1;
        let mut v = String::new();
        while *i < cs.len() {
            match cs[*i] {
                '\\' if *i + 1 < cs.len() => {
                    v.push(cs[*i + 1]);
                    *i += 2;
                }
                '"' => {
                    *i += 1;
                    return Ok(v);
                }
                c => {
                    v.push(c);
                    *i += 1;
                }
            }
        }
        Err(bad(format!("unclosed quote at character {}", start + 1)))
    };
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            out.push(Tok::LParen);
            i += 1;
        } else if c == ')' {
            out.push(Tok::RParen);
            i += 1;
        } else if c == '"' {
            out.push(Tok::Quoted(quoted(&mut i)?));
        } else if c == '-'
            && i + 1 < cs.len()
            && !cs[i + 1].is_whitespace()
            && (i == 0 || cs[i - 1].is_whitespace() || cs[i - 1] == '(')
        {
            out.push(Tok::Not);
            i += 1;
        } else {
            let start = i;
            let mut was_field = false;
            while i < cs.len()
                && !cs[i].is_whitespace()
                && cs[i] != '('
                && cs[i] != ')'
                && cs[i] != '"'
            {
                if cs[i] == ':' {
                    let name: String = cs[start..i].iter().collect::<String>().to_ascii_lowercase();
                    if matches!(
                        name.as_str(),
                        "host" | "app" | "network" | "net" | "source" | "severity" | "sev"
                    ) {
                        i += 1;
                        let v = if i < cs.len() && cs[i] == '"' {
                            quoted(&mut i)?
                        } else {
                            let vs = i;
                            while i < cs.len() && !cs[i].is_whitespace() && cs[i] != ')' {
                                i += 1;
                            }
                            cs[vs..i].iter().collect()
                        };
                        if v.is_empty() {
                            return Err(bad(format!("`{name}:` needs a value")));
                        }
                        let (v, prefix) = match v.strip_suffix('*') {
                            Some(p) if !p.is_empty() => (p.to_string(), true),
                            _ => (v, false),
                        };
                        out.push(Tok::FieldVal(name, v, prefix));
                        was_field = true;
                        break;
                    }
                }
                i += 1;
            }
            if i > start && !was_field {
                let w: String = cs[start..i].iter().collect();
                out.push(match w.as_str() {
                    "AND" | "&&" => Tok::And,
                    "OR" | "||" => Tok::Or,
                    "NOT" => Tok::Not,
                    _ => Tok::Word(w),
                });
            }
        }
    }
    Ok(out)
}

pub fn parse(s: &str) -> Result<Query> {
    let toks = lex(s)?;
    if toks.is_empty() {
        return Ok(Query::All);
    }
    let mut p = Parser { toks, pos: 0 };
    let q = p.or()?;
    if p.pos != p.toks.len() {
        return Err(Error::Invalid(format!(
            "query: unexpected `{:?}` at term {} / 查询语法错误",
            p.toks[p.pos],
            p.pos + 1
        )));
    }
    Ok(q)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn or(&mut self) -> Result<Query> {
        let mut v = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Query::Or(v)
        })
    }
    fn and(&mut self) -> Result<Query> {
        let mut v = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.pos += 1;
                    v.push(self.unary()?);
                }
                Some(Tok::Or | Tok::RParen) | None => break,
                Some(_) => v.push(self.unary()?),
            }
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Query::And(v)
        })
    }
    fn unary(&mut self) -> Result<Query> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            return Ok(Query::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }
    fn primary(&mut self) -> Result<Query> {
        let bad = |m: &str| Error::Invalid(format!("query: {m} / 查询语法错误"));
        let t = self
            .toks
            .get(self.pos)
            .cloned()
            .ok_or_else(|| bad("ends too early"))?;
        self.pos += 1;
        match t {
            Tok::LParen => {
                let q = self.or()?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(bad("missing `)`"));
                }
                self.pos += 1;
                Ok(q)
            }
            Tok::Quoted(s) => Ok(Query::Substr {
                text: s,
                case_sensitive: true,
            }),
            Tok::Word(w) => Ok(word(&w)),
            Tok::FieldVal(f, v, prefix) => field(&f, v, prefix),
            other => Err(bad(&format!("unexpected `{other:?}`"))),
        }
    }
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn word(w: &str) -> Query {
    if let Some(p) = w
        .strip_suffix('*')
        .filter(|p| !p.is_empty() && p.chars().all(is_token_char))
    {
        return Query::Prefix(p.to_ascii_lowercase());
    }
    if w.chars().all(is_token_char) {
        Query::Term(w.to_ascii_lowercase())
    } else {
        Query::Substr {
            text: w.to_string(),
            case_sensitive: false,
        }
    }
}

fn field(f: &str, v: String, prefix: bool) -> Result<Query> {
    let field = match f {
        "host" => Field::Host,
        "app" => Field::App,
        "network" | "net" => Field::Network,
        "source" => Field::Source,
        _ => {
            let (op, rest) = [
                ("<=", Cmp::Le),
                (">=", Cmp::Ge),
                ("<", Cmp::Lt),
                (">", Cmp::Gt),
                ("=", Cmp::Eq),
            ]
            .iter()
            .find_map(|(p, op)| v.strip_prefix(p).map(|r| (*op, r)))
            .unwrap_or((Cmp::Eq, v.as_str()));
            let level = severity_from_name(rest).ok_or_else(|| {
                Error::Invalid(format!("query: severity `{rest}`: use emerg, alert, crit, err, warning, notice, info, debug or 0–7 / 级别错误"))
            })?;
            return Ok(Query::Severity { op, level });
        }
    };
    Ok(Query::Field {
        field,
        value: v,
        prefix,
    })
}

/// The index terms every line containing `phrase` must have: whole ASCII tokens that do not
/// touch the phrase's ends, CJK bigrams, and lone CJK characters that do not touch the ends.
pub fn required_terms(phrase: &str) -> Vec<String> {
    let cs: Vec<char> = phrase.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        let ascii = is_token_char(c);
        let wide = !c.is_ascii() && c.is_alphanumeric();
        if !ascii && !wide {
            i += 1;
            continue;
        }
        let start = i;
        while i < cs.len()
            && (if ascii {
                is_token_char(cs[i])
            } else {
                !cs[i].is_ascii() && cs[i].is_alphanumeric()
            })
        {
            i += 1;
        }
        let interior = start > 0 && i < cs.len();
        if ascii {
            if interior {
                out.push(cs[start..i].iter().collect::<String>().to_ascii_lowercase());
            }
        } else {
            // Letters whose lower case has ASCII were indexed folded before format 3 and
            // unfolded since (`fold_wide`): terms with them are not required, either way.
            let mut run: Vec<(char, bool)> = Vec::new();
            for c in &cs[start..i] {
                let odd = crate::index::changes_ascii(*c);
                crate::index::fold_wide(*c, |l| run.push((l, odd)));
            }
            if i - start >= 2 {
                out.extend(
                    run.windows(2)
                        .filter(|w| !w.iter().any(|x| x.1))
                        .map(|w| w.iter().map(|x| x.0).collect::<String>()),
                );
            } else if interior && !run.iter().any(|x| x.1) {
                out.push(run.iter().map(|x| x.0).collect());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Where a line's dotted run must stand for a substring search to hold: the run of `text`
/// itself when `text` has characters on both sides of it, else one that starts with it
/// (`Starts`), ends with it (`Ends`) or holds it (`Holds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunNeed {
    Is(String),
    Starts(String),
    Ends(String),
    Holds(String),
}

/// The dotted runs (two dots or more and a digit, [`crate::tokenize::dotted_run`]) of a
/// substring search's `text`: every line holding `text` has, for each, a dotted run of its
/// own standing as [`RunNeed`] says — so the dotted-run terms narrow the candidates.
pub fn required_runs(text: &str) -> Vec<RunNeed> {
    let len = text.len();
    crate::tokenize::digit_dot_runs(text)
        .filter(|(s, e)| crate::tokenize::dotted_run(&text[*s..*e]))
        .map(|(start, end)| {
            let run = text[start..end].to_string();
            match (start > 0, end < len) {
                (true, true) => RunNeed::Is(run),
                (true, false) => RunNeed::Starts(run),
                (false, true) => RunNeed::Ends(run),
                (false, false) => RunNeed::Holds(run),
            }
        })
        .collect()
}

/// The text of a substring search that is one dotted run and nothing else (`"10.0.0.2"`,
/// `".0.0."`): every line holding it has a dotted run holding it, and a line with a run
/// holding it holds it, so the dotted-run postings are its exact answer (decision 0736).
/// Case does not matter: no letter can stand in such a text.
pub fn whole_run(text: &str) -> Option<&str> {
    let mut runs = crate::tokenize::digit_dot_runs(text);
    match (runs.next(), runs.next()) {
        (Some((0, end)), None) if end == text.len() && crate::tokenize::dotted_run(text) => {
            Some(text)
        }
        _ => None,
    }
}

/// A prefix every line containing `phrase` has as the start of a token: the phrase's last
/// ASCII token when it touches the phrase's end but not its start (`"user needle7f"` →
/// `needle7f`: the line's token starts there and may go on).
pub fn required_prefix(phrase: &str) -> Option<String> {
    let cs: Vec<char> = phrase.chars().collect();
    let end = cs.len();
    let mut start = end;
    while start > 0 && is_token_char(cs[start - 1]) {
        start -= 1;
    }
    (start > 0 && start < end).then(|| cs[start..].iter().collect::<String>().to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_prefix_is_the_last_token_cut_only_at_the_end() {
        assert_eq!(
            required_prefix("Invalid user needle7f").as_deref(),
            Some("needle7f")
        );
        assert_eq!(
            required_prefix("203.0.113.9 port 4242").as_deref(),
            Some("4242")
        );
        assert_eq!(required_prefix("登录admin").as_deref(), Some("admin"));
        assert_eq!(required_prefix("needle"), None);
        assert_eq!(required_prefix("port "), None);
    }

    #[test]
    fn dotted_runs_of_a_search_say_where_the_line_s_run_stands() {
        assert_eq!(
            required_runs("from 10.0.0.1 port"),
            [RunNeed::Is("10.0.0.1".into())]
        );
        assert_eq!(
            required_runs("10.0.0.1"),
            [RunNeed::Holds("10.0.0.1".into())]
        );
        assert_eq!(
            required_runs("from 10.0.0.1"),
            [RunNeed::Starts("10.0.0.1".into())]
        );
        assert_eq!(
            required_runs("10.0.0.1 port 22 to 2.0.1."),
            [
                RunNeed::Ends("10.0.0.1".into()),
                RunNeed::Starts("2.0.1.".into())
            ]
        );
        // One dot, or no digit: not indexed, so not required.
        assert!(required_runs("took 12.5 ms ... done").is_empty());
    }

    #[test]
    fn only_a_lone_dotted_run_is_answered_by_its_postings() {
        assert_eq!(whole_run("10.0.0.2"), Some("10.0.0.2"));
        assert_eq!(whole_run(".0.0."), Some(".0.0."));
        // Anything beside the run must be checked on the line.
        assert_eq!(whole_run("10.0.0.2 "), None);
        assert_eq!(whole_run("from 10.0.0.2"), None);
        assert_eq!(whole_run("10.0.0.2:22"), None);
        // Not indexed as a run: one dot, or no digit.
        assert_eq!(whole_run("12.5"), None);
        assert_eq!(whole_run("..."), None);
    }

    #[test]
    fn syntax() {
        assert_eq!(
            parse("\"Invalid user\"").unwrap(),
            Query::Substr {
                text: "Invalid user".into(),
                case_sensitive: true
            }
        );
        assert_eq!(
            parse("sshd admin").unwrap(),
            Query::And(vec![
                Query::Term("sshd".into()),
                Query::Term("admin".into())
            ])
        );
        assert_eq!(
            parse("host:web01 AND (sshd OR sudo) NOT root").unwrap(),
            Query::And(vec![
                Query::Field {
                    field: Field::Host,
                    value: "web01".into(),
                    prefix: false
                },
                Query::Or(vec![Query::Term("sshd".into()), Query::Term("sudo".into())]),
                Query::Not(Box::new(Query::Term("root".into()))),
            ])
        );
        assert_eq!(
            parse("host:a sshd:").unwrap(),
            Query::And(vec![
                Query::Field {
                    field: Field::Host,
                    value: "a".into(),
                    prefix: false
                },
                Query::Substr {
                    text: "sshd:".into(),
                    case_sensitive: false
                }
            ])
        );
        assert_eq!(
            parse("-root").unwrap(),
            Query::Not(Box::new(Query::Term("root".into())))
        );
        assert_eq!(
            parse("severity:<=warning").unwrap(),
            Query::Severity {
                op: Cmp::Le,
                level: 4
            }
        );
        assert_eq!(
            parse("10.0.0.1").unwrap(),
            Query::Substr {
                text: "10.0.0.1".into(),
                case_sensitive: false
            }
        );
        assert_eq!(parse("adm*").unwrap(), Query::Prefix("adm".into()));
        assert_eq!(
            parse("host:\"WIN DC\"").unwrap(),
            Query::Field {
                field: Field::Host,
                value: "WIN DC".into(),
                prefix: false
            }
        );
        assert_eq!(parse("").unwrap(), Query::All);
        assert!(parse("\"open").is_err());
        assert!(parse("(a OR b").is_err());
        assert!(parse("severity:loud").is_err());
    }

    #[test]
    fn required_terms_never_demand_a_cut_token() {
        assert_eq!(required_terms("Invalid user"), Vec::<String>::new());
        assert_eq!(
            required_terms("for invalid user admin"),
            ["invalid", "user"]
        );
        assert_eq!(required_terms("10.0.0.1"), ["0"]);
        assert_eq!(required_terms("登录失败"), ["失败", "录失", "登录"]);
        assert_eq!(required_terms(" 源 "), ["源"]);
    }
}
