//! Query rules from data/search/query.toml: law aliases, stop words, synonyms; and the
//! query plan (weighted terms per field kind) they produce.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::analyzer::{analyze, jieba, query_words, Kind};
use crate::SearchError;

const QUERY_TOML: &str = include_str!("../../../data/search/query.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    laws: BTreeMap<String, RawLaw>,
    stopwords: Vec<String>,
    #[serde(default)]
    synonym: Vec<RawSynonym>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSynonym {
    term: String,
    means: Vec<String>,
    weight: Option<f32>,
}

/// How queries are read: which names cite which law, which words are only question words,
/// and which practitioner terms stand for which words of the law.
#[derive(Debug, Clone)]
pub struct QueryRules {
    laws: Vec<(String, Vec<String>)>,
    stopwords: HashSet<String>,
    synonyms: Vec<(String, Vec<String>, f32)>,
}

/// A weighted term for one field kind.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedTerm {
    pub text: String,
    pub kind: Kind,
    pub weight: f32,
}

impl QueryRules {
    /// Parses a rules file (the format of data/search/query.toml); `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<QueryRules, SearchError> {
        let raw: RawRules = toml::from_str(text).map_err(|e| SearchError::Data {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        let mut synonyms = Vec::new();
        for s in raw.synonym {
            let weight = s.weight.unwrap_or(1.0);
            if s.term.trim().is_empty() || !(0.0..=10.0).contains(&weight) {
                return Err(SearchError::Data {
                    file: file.to_string(),
                    message: format!(
                        "synonym `{}`: term must be non-empty and weight within 0–10",
                        s.term
                    ),
                });
            }
            synonyms.push((s.term.to_lowercase(), s.means, weight));
        }
        Ok(QueryRules {
            laws: raw.laws.into_iter().map(|(k, v)| (k, v.aliases)).collect(),
            stopwords: raw.stopwords.into_iter().collect(),
            synonyms,
        })
    }

    /// The rules shipped in the binary.
    pub fn builtin() -> Result<&'static QueryRules, SearchError> {
        static RULES: OnceLock<Result<QueryRules, String>> = OnceLock::new();
        RULES
            .get_or_init(|| {
                QueryRules::from_toml(QUERY_TOML, "data/search/query.toml")
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|message| SearchError::Data {
                file: "data/search/query.toml".to_string(),
                message: message.clone(),
            })
    }

    /// (law id, aliases) pairs.
    pub fn law_aliases(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.laws.iter().map(|(l, a)| (l, a))
    }

    /// The law id an alias or id names (网络安全法 → csl), if any.
    pub fn law_named(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        self.laws
            .iter()
            .find(|(id, aliases)| id == name || aliases.iter().any(|a| a == name))
            .map(|(id, _)| id.as_str())
    }

    /// Takes the law names out of a query (网络安全法什么时候施行 → csl, 什么时候施行).
    /// Longer aliases win; an alias inside a longer word is still a mention.
    pub fn take_law_names(&self, query: &str) -> (Vec<String>, String) {
        let mut aliases: Vec<(&str, &str)> = self
            .laws
            .iter()
            .flat_map(|(id, a)| a.iter().map(move |a| (a.as_str(), id.as_str())))
            .collect();
        aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.chars().count()));
        let mut rest = query.to_string();
        let mut named = Vec::new();
        for (alias, id) in aliases {
            if rest.contains(alias) {
                rest = rest.replace(alias, " ");
                if !named.iter().any(|n: &String| n == id) {
                    named.push(id.to_string());
                }
            }
        }
        (named, rest)
    }

    /// The weighted terms of a query (citations already taken out): the query's own words
    /// minus stop words, plus the synonyms it triggers.
    pub fn plan(&self, query: &str) -> Vec<PlannedTerm> {
        let lower = query.to_lowercase();
        let mut segments: Vec<(String, f32)> = vec![(lower.clone(), 1.0)];
        for (term, means, weight) in &self.synonyms {
            if lower.contains(term.as_str()) {
                segments.extend(means.iter().map(|m| (m.clone(), *weight)));
            }
        }
        let mut terms: HashMap<(String, Kind), f32> = HashMap::new();
        for (segment, weight) in segments {
            for part in self.content_parts(&segment) {
                let words = query_words(&part)
                    .into_iter()
                    .filter(|w| !self.stopwords.contains(w))
                    .map(|w| (w, Kind::Words));
                let bigrams = analyze(&part, Kind::Bigrams)
                    .into_iter()
                    .map(|p| (p.text, Kind::Bigrams));
                for key in words.chain(bigrams) {
                    let w = terms.entry(key).or_insert(0.0);
                    *w = w.max(weight);
                }
            }
        }
        let mut out: Vec<PlannedTerm> = terms
            .into_iter()
            .map(|((text, kind), weight)| PlannedTerm { text, kind, weight })
            .collect();
        out.sort_by(|a, b| a.text.cmp(&b.text));
        out
    }

    /// The runs of a segment left once jieba's stop words are cut out, so that no bigram
    /// spans a question word (网络日志要保存多久 → 网络日志, 保存).
    fn content_parts(&self, segment: &str) -> Vec<String> {
        let mut parts = Vec::new();
        let mut current = String::new();
        for t in jieba().cut(segment, false) {
            if self.stopwords.contains(t.word) || t.word.chars().all(|c| !c.is_alphanumeric()) {
                if !current.is_empty() {
                    parts.push(std::mem::take(&mut current));
                }
            } else {
                current.push_str(t.word);
            }
        }
        if !current.is_empty() {
            parts.push(current);
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_are_dropped_and_synonyms_added() {
        let rules = QueryRules::builtin().expect("rules parse");
        let plan = rules.plan("等保备案要在多少天内完成？");
        let texts: Vec<&str> = plan.iter().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"等级保护"), "{texts:?}");
        assert!(texts.contains(&"备案"), "{texts:?}");
        assert!(!texts.contains(&"多少"), "{texts:?}");
    }
}
