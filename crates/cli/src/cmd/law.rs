//! `dengbao law …`: parse, show, search, diff, sources, eval.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::Ctx;

#[derive(Subcommand, Debug)]
pub enum LawCmd {
    /// Parse any statute file into its structure.
    Parse {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Show an article: `law show csl 21`, `law show mlps 第二十条（五）`.
    Show {
        law: String,
        citation: String,
        #[arg(long)]
        json: bool,
        /// Read the citation in the version in force on this date (YYYY-MM-DD); today by default.
        #[arg(long)]
        at: Option<String>,
        /// Read the citation in this version (`final`, `amended-2025`, …) whatever the date.
        #[arg(long, conflicts_with = "at")]
        law_version: Option<String>,
    },
    /// Ranked full-text search over the articles and commentary.
    Search {
        query: String,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions of a law (修订对照表).
    Diff {
        law: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// The sources each law was built from, and where they disagree.
    Sources {
        #[arg(long)]
        json: bool,
    },
    /// Measure search quality (Recall@5, MRR) on the question set in data/.
    Eval {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: LawCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    match cmd {
        LawCmd::Parse { file, json } => super::law_parse::run(&file, json, ctx.lang),
        LawCmd::Show {
            law,
            citation,
            json,
            at,
            law_version,
        } => super::law_corpus::show(
            &law,
            &citation,
            super::law_corpus::Edition {
                at: at.as_deref(),
                version: law_version.as_deref(),
            },
            json,
            ctx,
        ),
        LawCmd::Diff {
            law,
            from,
            to,
            json,
        } => super::law_report::diff(&law, &from, &to, json, ctx),
        LawCmd::Sources { json } => super::law_report::sources(json, ctx),
        LawCmd::Search { query, limit, json } => {
            super::law_search::search(&query, limit, json, ctx)
        }
        LawCmd::Eval { json } => super::law_search::eval(json, ctx),
    }
}
