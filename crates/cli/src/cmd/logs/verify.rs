//! `dengbao logs verify [--json] [--anchor FILE]`: the store's chain and files against the
//! head kept outside it (the head file and the database's copy, decisions 0925 and 0926) and,
//! with `--anchor`, against a checkpoint the operator kept elsewhere. Exit 1 when anything
//! does not verify.

use std::path::PathBuf;
use std::process::ExitCode;

use dengbao_logstore::crypto::Suite;

use super::{db_head, head, json_line, lines, open, store_dir};
use crate::{BadInput, Ctx};

pub(super) fn run(ctx: &Ctx, json: bool, anchor: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = store_dir(ctx);
    if !dir.join("store.json").exists()
        && !dir.join("checkpoints.log").exists()
        && !dir.join("storage.toml").exists()
        && !head::recorded(&ctx.data_dir)
        && !db_head::configured(ctx)
    {
        return Err(BadInput::new(format!(
            "no log store at {} / 日志库不存在",
            dir.display()
        )));
    }
    // Always with a keeper: a chain whose checkpoints say a head is kept must find
    // it, even when the record and the server key were both removed.
    let kept = head::keeper(&ctx.data_dir)?;
    let mut r = dengbao_logstore::verify::verify_with_head(&dir, Some(&kept));
    // The database's copy of the head catches a store wiped with its head file, and
    // keeps the result for the dashboard and /metrics (decision 0926).
    db_head::verify_now(ctx, &kept, &dir, &mut r)?;
    if json {
        json_line(&r)?;
    } else if r.ok {
        println!(
            "{}",
            lines::verified(
                ctx.lang,
                r.checkpoints as u64,
                r.events_checked as u64,
                r.segments_checked as u64,
                r.expired_segments as u64,
                &r.root,
                r.suite.name()
            )
        );
    } else {
        println!("{}", lines::failed(ctx.lang, r.problems.len()));
        for p in &r.problems {
            println!("  {}", lines::segment_problem(ctx.lang, p));
        }
    }
    let anchored = match anchor {
        None => None,
        Some(p) => {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| BadInput::new(format!("{}: {e}", p.display())))?;
            let store = open(ctx, false, Suite::Sm3Sm2)?;
            Some(store.check_anchor(&text))
        }
    };
    if let Some(a) = &anchored {
        if json {
            json_line(a)?;
        } else if a.ok {
            println!(
                "{}",
                lines::anchor_ok(
                    ctx.lang,
                    a.anchor_seq.unwrap_or(0),
                    a.anchor_tree_size.unwrap_or(0),
                    a.current_tree_size
                )
            );
        } else {
            println!(
                "{}",
                lines::anchor_failed(ctx.lang, a.problem.as_deref().unwrap_or("-"))
            );
        }
    }
    let ok = r.ok && anchored.as_ref().is_none_or(|a| a.ok);
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
