//! The in-memory tantivy index over [`SearchDoc`]s and the ranked, merged search on it.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use crate::analyzer::{Kind, ZhTokenizer};
use crate::citation::parse_citation;
use crate::expand::{PlannedTerm, QueryRules};
use crate::snippet::snippet;
use crate::{DocKind, Hit, SearchDoc, SearchError};

/// Field weights: a word match counts more than a bigram match, a title match more than
/// a body match (【定级备案】 names what the article is about).
const W_TEXT_WORDS: f32 = 1.0;
const W_TEXT_BIGRAMS: f32 = 0.4;
const W_TITLE_WORDS: f32 = 1.5;
const W_TITLE_BIGRAMS: f32 = 0.6;
const W_CHAPTER_WORDS: f32 = 0.5;
const W_CHAPTER_BIGRAMS: f32 = 0.2;
/// A law the query names (网络安全法…, 条例…) without citing an article is preferred.
const W_NAMED_LAW: f32 = 2.0;
/// Commentary speaks about an article; its hits count a little less than the article's.
const W_COMMENTARY: f32 = 0.8;
/// How much the other documents of one article add to its best document's score.
const W_SUPPORT: f32 = 0.3;

struct Fields {
    id: Field,
    text_words: Field,
    text_bigrams: Field,
    title_words: Field,
    title_bigrams: Field,
    chapter_words: Field,
    chapter_bigrams: Field,
}

/// A searchable index over articles and commentary, built in memory.
pub struct SearchIndex {
    docs: Vec<SearchDoc>,
    /// How many indexed units (documents and their passages) there are.
    units: usize,
    /// (law, article, suffix) → index of the article document in `docs`.
    articles: HashMap<(String, u32, Option<u32>), usize>,
    /// Law ids in the order they were first seen (csl before mlps for an unqualified
    /// citation when the corpus lists csl first).
    law_order: Vec<String>,
    fields: Fields,
    reader: IndexReader,
    rules: QueryRules,
}

fn text_field(schema: &mut tantivy::schema::SchemaBuilder, name: &str, tokenizer: &str) -> Field {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(tokenizer)
        .set_index_option(IndexRecordOption::WithFreqs);
    schema.add_text_field(name, TextOptions::default().set_indexing_options(indexing))
}

impl SearchIndex {
    /// Builds the index with the shipped query rules.
    pub fn build(docs: impl IntoIterator<Item = SearchDoc>) -> Result<SearchIndex, SearchError> {
        SearchIndex::build_with_rules(docs, QueryRules::builtin()?.clone())
    }

    /// Builds the index with the given query rules.
    pub fn build_with_rules(
        docs: impl IntoIterator<Item = SearchDoc>,
        rules: QueryRules,
    ) -> Result<SearchIndex, SearchError> {
        let docs: Vec<SearchDoc> = docs.into_iter().collect();
        let mut sb = Schema::builder();
        let fields = Fields {
            id: sb.add_u64_field("id", NumericOptions::default().set_fast()),
            text_words: text_field(&mut sb, "text_words", "zh_words"),
            text_bigrams: text_field(&mut sb, "text_bigrams", "zh_bigrams"),
            title_words: text_field(&mut sb, "title_words", "zh_words"),
            title_bigrams: text_field(&mut sb, "title_bigrams", "zh_bigrams"),
            chapter_words: text_field(&mut sb, "chapter_words", "zh_words"),
            chapter_bigrams: text_field(&mut sb, "chapter_bigrams", "zh_bigrams"),
        };
        let index = Index::create_in_ram(sb.build());
        index
            .tokenizers()
            .register("zh_words", ZhTokenizer(Kind::Words));
        index
            .tokenizers()
            .register("zh_bigrams", ZhTokenizer(Kind::Bigrams));
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 15_000_000)?;
        let mut articles = HashMap::new();
        let mut law_order: Vec<String> = Vec::new();
        let mut units = 0usize;
        for (i, d) in docs.iter().enumerate() {
            if !law_order.contains(&d.law) {
                law_order.push(d.law.clone());
            }
            if d.kind == DocKind::Article {
                articles.insert((d.law.clone(), d.article, d.suffix), i);
            }
            // The whole document, and each paragraph or item of it on its own, so that
            // one matching item of a long article (条例 第二十条 has eleven) is not
            // drowned by the length of the rest.
            let mut passages: Vec<&str> = vec![d.text.as_str()];
            let lines: Vec<&str> = d.text.lines().filter(|l| !l.trim().is_empty()).collect();
            if lines.len() > 1 {
                passages.extend(lines);
            }
            for passage in passages {
                let mut doc = TantivyDocument::default();
                doc.add_u64(fields.id, i as u64);
                doc.add_text(fields.text_words, passage);
                doc.add_text(fields.text_bigrams, passage);
                if let Some(title) = &d.title {
                    doc.add_text(fields.title_words, title);
                    doc.add_text(fields.title_bigrams, title);
                }
                if let Some(chapter) = &d.chapter {
                    doc.add_text(fields.chapter_words, chapter);
                    doc.add_text(fields.chapter_bigrams, chapter);
                }
                writer.add_document(doc)?;
                units += 1;
            }
        }
        writer.commit()?;
        let reader = index.reader()?;
        Ok(SearchIndex {
            units,
            docs,
            articles,
            law_order,
            fields,
            reader,
            rules,
        })
    }

    /// How many documents (articles and commentary) the index holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The query rules in force.
    pub fn rules(&self) -> &QueryRules {
        &self.rules
    }

    /// Searches: articles the query cites come first, then ranked full-text hits, one per
    /// article (an article's commentary hits count toward it), at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        if query.trim().is_empty() {
            return Err(SearchError::EmptyQuery);
        }
        let (cited, rest) = parse_citation(query, &self.rules);
        let (named, rest) = self.rules.take_law_names(&rest);
        let plan = self.rules.plan(&rest);
        let ranked = self.ranked(&plan, &named)?;
        let top = ranked.first().map_or(1.0, |r| r.1);
        let terms: Vec<&str> = plan.iter().map(|t| t.text.as_str()).collect();

        let mut hits: Vec<Hit> = Vec::new();
        let mut seen: Vec<(String, u32, Option<u32>)> = Vec::new();
        for c in &cited {
            let laws: Vec<&String> = match &c.law {
                Some(l) => vec![l],
                None => self.law_order.iter().collect(),
            };
            for law in laws {
                let key = (law.clone(), c.article, c.suffix);
                if seen.contains(&key) {
                    continue;
                }
                if let Some(&i) = self.articles.get(&key) {
                    let d = &self.docs[i];
                    hits.push(Hit {
                        law: d.law.clone(),
                        law_title: d.law_title.clone(),
                        article: d.article,
                        suffix: d.suffix,
                        score: top + 1.0,
                        snippet: snippet(&d.text, &terms),
                    });
                    seen.push(key);
                }
            }
        }
        for (key, score, docs) in ranked {
            if hits.len() >= limit {
                break;
            }
            if seen.contains(&key) {
                continue;
            }
            hits.push(self.hit(&key, score, &docs, &terms));
            seen.push(key);
        }
        hits.truncate(limit);
        Ok(hits)
    }

    /// Full-text ranking merged per article: (article key, score, matching doc indices
    /// best first).
    #[allow(clippy::type_complexity)]
    fn ranked(
        &self,
        plan: &[PlannedTerm],
        named: &[String],
    ) -> Result<Vec<((String, u32, Option<u32>), f32, Vec<usize>)>, SearchError> {
        if plan.is_empty() || self.docs.is_empty() {
            return Ok(Vec::new());
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in plan {
            let pairs = match t.kind {
                Kind::Words => [
                    (self.fields.text_words, W_TEXT_WORDS),
                    (self.fields.title_words, W_TITLE_WORDS),
                    (self.fields.chapter_words, W_CHAPTER_WORDS),
                ],
                Kind::Bigrams => [
                    (self.fields.text_bigrams, W_TEXT_BIGRAMS),
                    (self.fields.title_bigrams, W_TITLE_BIGRAMS),
                    (self.fields.chapter_bigrams, W_CHAPTER_BIGRAMS),
                ],
            };
            for (field, w) in pairs {
                let q = TermQuery::new(
                    Term::from_field_text(field, &t.text),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), w * t.weight)),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(self.units.max(1)).order_by_score(),
        )?;
        let mut groups: HashMap<(String, u32, Option<u32>), Vec<(f32, usize)>> = HashMap::new();
        for (score, addr) in top {
            let column = searcher
                .segment_reader(addr.segment_ord)
                .fast_fields()
                .u64("id")?;
            let Some(id) = column.first(addr.doc_id) else {
                continue;
            };
            let i = id as usize;
            let Some(d) = self.docs.get(i) else { continue };
            let mut s = match d.kind {
                DocKind::Article => score,
                DocKind::Commentary => score * W_COMMENTARY,
            };
            if named.contains(&d.law) {
                s *= W_NAMED_LAW;
            }
            let docs = groups
                .entry((d.law.clone(), d.article, d.suffix))
                .or_default();
            // A document counts once per article: its best passage.
            match docs.iter_mut().find(|(_, j)| *j == i) {
                Some(entry) => entry.0 = entry.0.max(s),
                None => docs.push((s, i)),
            }
        }
        let mut ranked: Vec<_> = groups
            .into_iter()
            .map(|(key, mut docs)| {
                docs.sort_by(|a, b| b.0.total_cmp(&a.0));
                let best = docs.first().map_or(0.0, |d| d.0);
                let support: f32 = docs.iter().skip(1).map(|d| d.0).sum();
                let score = best + W_SUPPORT * support.min(best);
                (
                    key,
                    score,
                    docs.into_iter().map(|d| d.1).collect::<Vec<_>>(),
                )
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(ranked)
    }

    fn hit(
        &self,
        key: &(String, u32, Option<u32>),
        score: f32,
        matched: &[usize],
        terms: &[&str],
    ) -> Hit {
        let article = self.articles.get(key).map(|&i| &self.docs[i]);
        let fallback = matched.first().map(|&i| &self.docs[i]);
        // The snippet comes from the article's own text when it matched, else from the
        // best commentary on it.
        let source = match article {
            Some(a) if matched.iter().any(|&i| std::ptr::eq(&self.docs[i], a)) => Some(a),
            _ => fallback.or(article),
        };
        let head = article.or(fallback);
        Hit {
            law: key.0.clone(),
            law_title: head.map_or_else(String::new, |d| d.law_title.clone()),
            article: key.1,
            suffix: key.2,
            score,
            snippet: source.map_or_else(String::new, |d| snippet(&d.text, terms)),
        }
    }
}
