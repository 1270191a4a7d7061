//! Prints the outline and diagnostics of a statute file:
//! `cargo run -p dengbao-statute --example outline -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: outline FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read(&path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let (st, diags) = dengbao_statute::parse(&text);
    println!("title: {} {:?}", st.title, st.subtitle);
    println!("header: {:?}", st.header);
    for c in &st.chapters {
        println!("第{}章 {} (part {:?})", c.number, c.title, c.part);
        for s in &c.sections {
            println!("  第{}节 {}", s.number, s.title);
        }
    }
    for a in &st.articles {
        let head: String = a.text.chars().take(30).collect();
        println!(
            "  [{}:{:?}] ch{} s{:?} ¶{} refs{} {:?} {}",
            a.number,
            a.suffix,
            a.chapter,
            a.section,
            a.paragraphs.len(),
            a.refs.len(),
            a.title,
            head
        );
        if !a.refs.is_empty() {
            let r: Vec<String> = a.refs.iter().map(|c| c.to_string()).collect();
            println!("    refs {}", r.join(" | "));
        }
    }
    println!(
        "{} articles, {} variants, {} notes",
        st.articles.len(),
        st.variants.len(),
        st.notes.len()
    );
    for d in &diags {
        println!("diag {}: {}", d.line, d.message);
    }
}
