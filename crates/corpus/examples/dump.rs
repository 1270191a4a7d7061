//! Prints the discrepancy report and the draft→final comparison as JSON (development aid).
fn main() {
    let t = std::time::Instant::now();
    let _ = dengbao_corpus::Corpus::load();
    eprintln!("load: {:?}", t.elapsed());
    let c = match dengbao_corpus::Corpus::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    for l in c.laws() {
        for v in &l.versions {
            println!(
                "{} {} articles={} chapters={} diags={:?}",
                l.id,
                v.name,
                v.statute.articles.len(),
                v.statute.chapters.len(),
                v.diagnostics.iter().take(3).collect::<Vec<_>>()
            );
        }
    }
    for d in c.discrepancies() {
        let r: Vec<String> = d
            .readings
            .iter()
            .map(|r| {
                format!(
                    "{} [{}]",
                    r.text,
                    r.sources
                        .iter()
                        .map(|p| format!("{}:{}", p.source, p.line))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            })
            .collect();
        println!(
            "{} 第{}条 ¶{} {:?} outvoted={} | {}",
            d.law,
            d.article,
            d.paragraph,
            d.kind,
            d.outvoted,
            r.join(" | ")
        );
    }
    for cv in c.coverage("csl") {
        println!(
            "{} copies={} full={} partial={:?} missing={:?} layout={}",
            cv.source,
            cv.copies,
            cv.full.len(),
            cv.partial,
            cv.missing,
            cv.layout_changes
        );
    }
    let d = c
        .diff("csl", "draft", "final")
        .unwrap_or_else(|e| panic!("{e}"));
    for p in &d.pairs {
        println!(
            "{} -> {} {:?} sim={} changes={:?}",
            p.from,
            p.to,
            p.to_paragraph,
            p.similarity,
            p.changes
                .iter()
                .map(|c| format!("{}→{}", c.from, c.to))
                .collect::<Vec<_>>()
        );
        for f in &p.fines {
            println!(
                "   fine {:?} -> {:?}",
                f.from.as_ref().map(|x| (
                    x.paragraph,
                    x.payer,
                    x.range(),
                    x.text.clone(),
                    x.condition.clone()
                )),
                f.to.as_ref()
                    .map(|x| (x.paragraph, x.payer, x.range(), x.text.clone()))
            );
        }
    }
}
