//! Query latency over the question set on the shipped corpus, against two peer baselines
//! measured in the same run:
//! - `naive_scan`: what people do with grep / Ctrl-F — no index; every document's text is
//!   scanned for each two-character piece of the question (`str::contains`) and documents
//!   are ranked by how many pieces they contain;
//! - `sqlite_fts5_trigram`: SQLite FTS5 with its trigram tokenizer (rusqlite, bundled
//!   SQLite), the question's 3-character pieces OR-ed, ranked by FTS5's bm25.
//!
//! Before criterion runs, a table of per-query p50/p95 latency and Recall@5 / MRR for each
//! engine is printed (same metric as `dengbao law eval`).
//!
//! Run: `cargo bench -p dengbao-search --bench query`

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use dengbao_corpus::Corpus;
use dengbao_search::{analyze, corpus_docs, QuestionSet, SearchDoc, SearchIndex, TokenKind};
use rusqlite::Connection;

/// One ranked list of `law article` labels per query.
trait Engine {
    fn name(&self) -> &'static str;
    fn search(&self, q: &str, limit: usize) -> Vec<String>;
}

struct Tantivy(SearchIndex);

impl Engine for Tantivy {
    fn name(&self) -> &'static str {
        "dengbao (tantivy + jieba)"
    }
    fn search(&self, q: &str, limit: usize) -> Vec<String> {
        self.0
            .search(q, limit)
            .map(|hits| {
                hits.into_iter()
                    .map(|h| format!("{} {}", h.law, h.article))
                    .collect()
            })
            .unwrap_or_default()
    }
}

struct NaiveScan(Vec<SearchDoc>);

fn dedup_top(ranked: impl Iterator<Item = String>, limit: usize) -> Vec<String> {
    let mut seen = HashSet::new();
    ranked
        .filter(|l| seen.insert(l.clone()))
        .take(limit)
        .collect()
}

impl Engine for NaiveScan {
    fn name(&self) -> &'static str {
        "naive substring scan"
    }
    fn search(&self, q: &str, limit: usize) -> Vec<String> {
        let pieces: Vec<String> = analyze(q, TokenKind::Bigrams)
            .into_iter()
            .map(|p| p.text)
            .collect();
        let mut scored: Vec<(usize, usize)> = self
            .0
            .iter()
            .enumerate()
            .map(|(i, d)| {
                (
                    pieces
                        .iter()
                        .filter(|p| d.text.contains(p.as_str()))
                        .count(),
                    i,
                )
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        dedup_top(
            scored
                .into_iter()
                .map(|(_, i)| format!("{} {}", self.0[i].law, self.0[i].article)),
            limit,
        )
    }
}

struct Fts5(Connection);

impl Fts5 {
    fn build(docs: &[SearchDoc]) -> rusqlite::Result<Fts5> {
        let conn = Connection::open_in_memory()?;
        conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(label UNINDEXED, body, tokenize = 'trigram')",
            [],
        )?;
        {
            let mut insert = conn.prepare("INSERT INTO docs (label, body) VALUES (?1, ?2)")?;
            for d in docs {
                let body = format!("{} {}", d.title.clone().unwrap_or_default(), d.text);
                insert.execute([format!("{} {}", d.law, d.article), body])?;
            }
        }
        Ok(Fts5(conn))
    }
}

impl Engine for Fts5 {
    fn name(&self) -> &'static str {
        "SQLite FTS5 trigram"
    }
    fn search(&self, q: &str, limit: usize) -> Vec<String> {
        let chars: Vec<char> = q.chars().filter(|c| c.is_alphanumeric()).collect();
        let grams: Vec<String> = chars
            .windows(3)
            .map(|w| format!("\"{}\"", w.iter().collect::<String>()))
            .collect();
        if grams.is_empty() {
            return Vec::new();
        }
        let expr = grams.join(" OR ");
        let Ok(mut stmt) = self
            .0
            .prepare_cached("SELECT label FROM docs WHERE docs MATCH ?1 ORDER BY rank LIMIT 200")
        else {
            return Vec::new();
        };
        let Ok(rows) = stmt.query_map([expr], |r| r.get::<_, String>(0)) else {
            return Vec::new();
        };
        dedup_top(rows.filter_map(Result::ok), limit)
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn quality_and_latency(engines: &[&dyn Engine], set: &QuestionSet) {
    println!(
        "\n{:<28} {:>9} {:>9} {:>9} {:>7}",
        "engine", "p50", "p95", "Recall@5", "MRR"
    );
    for e in engines {
        let mut per_query = Vec::new();
        let (mut recall, mut rr) = (0.0, 0.0);
        for q in &set.question {
            let mut times = Vec::new();
            let mut hits = Vec::new();
            for _ in 0..21 {
                let t = Instant::now();
                hits = black_box(e.search(&q.q, 10));
                times.push(t.elapsed());
            }
            times.sort();
            per_query.push(times[times.len() / 2]);
            let top5: Vec<&String> = hits.iter().take(5).collect();
            let found = q.answers.iter().filter(|a| top5.contains(a)).count();
            recall += found as f64 / q.answers.len() as f64;
            if let Some(r) = hits.iter().position(|h| q.answers.contains(h)) {
                rr += 1.0 / (r + 1) as f64;
            }
        }
        per_query.sort();
        let n = set.question.len() as f64;
        println!(
            "{:<28} {:>7.3}ms {:>7.3}ms {:>9.3} {:>7.3}",
            e.name(),
            percentile(&per_query, 0.5).as_secs_f64() * 1e3,
            percentile(&per_query, 0.95).as_secs_f64() * 1e3,
            recall / n,
            rr / n
        );
    }
    println!();
}

fn main() {
    let corpus = Corpus::load().expect("corpus loads");
    let docs = corpus_docs(&corpus);
    let set = QuestionSet::builtin().expect("question set parses");

    let t = Instant::now();
    let index = SearchIndex::from_corpus(&corpus).expect("index builds");
    println!(
        "index build: {} documents in {:.1} ms (first build in this process, jieba dictionary included)",
        index.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let fts = Fts5::build(&docs).expect("fts5 builds");
    println!("fts5 build: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let ours = Tantivy(index);
    let naive = NaiveScan(docs.clone());
    // The comparison table only under `cargo bench` (`cargo test --all-targets` runs this
    // file once in test mode, where timings mean nothing).
    if std::env::args().any(|a| a == "--bench") {
        quality_and_latency(&[&ours, &naive, &fts], &set);
    }

    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(5));
    let mut group = c.benchmark_group("question_set_per_query");
    group.throughput(criterion::Throughput::Elements(set.question.len() as u64));
    for e in [&ours as &dyn Engine, &naive, &fts] {
        group.bench_function(e.name(), |b| {
            b.iter(|| {
                for q in &set.question {
                    black_box(e.search(&q.q, 10));
                }
            })
        });
    }
    group.finish();
    c.bench_function("index_build", |b| {
        b.iter(|| black_box(SearchIndex::from_corpus(&corpus).expect("builds")))
    });
    c.final_summary();
}
