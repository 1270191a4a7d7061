//! `dengbao training …`: quizzes generated from the law (issue 15), and a network's
//! training records on a server (`training records`, in `training/records.rs`). `quiz --json` is the
//! interface scripts rely on (`[{question, choices, answer, citation}]`, exactly); text is
//! in one language at a time, the law's words quoted in English (decision 0934).

use std::process::ExitCode;

use clap::Subcommand;
use dengbao_training::quiz::{law_title, law_title_en, LAWS};
use dengbao_training::{Bank, Question, QuizItem};
use dengbao_types::Lang;

use crate::say::{msg, t};
use crate::{BadInput, Ctx};

mod records;

#[derive(Subcommand, Debug)]
pub enum TrainingCmd {
    /// A network's training sessions on a server, latest first, and whether each covered
    /// every key post (decision 1502).
    Records(records::RecordsArgs),
    /// A quiz of N questions drawn from the bank, the same ones for the same seed.
    Quiz {
        #[arg(long)]
        count: usize,
        /// csl (网络安全法) or mlps (网络安全等级保护条例（征求意见稿）); both when absent.
        #[arg(long)]
        law: Option<String>,
        /// Which questions are drawn (the same seed, the same quiz).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// The versions in force on this date (YYYY-MM-DD) are quizzed; today by default.
        #[arg(long)]
        date: Option<String>,
        /// Show each question's key and the article it comes from.
        #[arg(long)]
        answers: bool,
        #[arg(long)]
        json: bool,
    },
    /// The 2017 law-popularisation work plan's 13 points, the checklist an organisation
    /// records through the API or console (decision 1506), with the articles each relates to.
    WorkPlan {
        #[arg(long)]
        json: bool,
    },
    /// Every question of the bank with its id, key and citation.
    Questions {
        #[arg(long)]
        law: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        json: bool,
        /// Apply this reviewers' file (an edited copy of data/training/questions.toml)
        /// instead of the shipped one, to see and check its effect.
        #[arg(long)]
        review: Option<std::path::PathBuf>,
    },
}

pub fn run(cmd: TrainingCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let lang = ctx.lang;
    match cmd {
        TrainingCmd::Records(a) => return records::run_records(a, lang),
        TrainingCmd::WorkPlan { json } => return work_plan(json, lang),
        TrainingCmd::Quiz {
            count,
            law,
            seed,
            date,
            answers,
            json,
        } => {
            let law = check_law(law, lang)?;
            if count == 0 {
                return Err(BadInput::new(t(
                    lang,
                    "--count 须至少为 1",
                    "--count must be at least 1",
                )));
            }
            let bank = build(date.as_deref(), None)?;
            let quiz = bank.quiz(count, law.as_deref(), seed);
            if json {
                let items: Vec<QuizItem> = quiz.iter().map(|q| QuizItem::of(q)).collect();
                println!("{}", serde_json::to_string_pretty(&items)?);
            } else {
                print(&quiz, answers, false, lang)?;
            }
        }
        TrainingCmd::Questions {
            law,
            date,
            json,
            review,
        } => {
            let law = check_law(law, lang)?;
            let bank = build(date.as_deref(), review.as_deref())?;
            let all: Vec<&Question> = bank.of_law(law.as_deref()).collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                print(&all, true, true, lang)?;
                println!(
                    "{}",
                    if lang.is_en() {
                        format!("{} questions", all.len())
                    } else {
                        format!("共 {} 道题", all.len())
                    }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check_law(law: Option<String>, lang: Lang) -> anyhow::Result<Option<String>> {
    match law {
        Some(l) if !LAWS.contains(&l.as_str()) => Err(BadInput::new(if lang.is_en() {
            format!("--law {l}: quizzes cover csl (the Cybersecurity Law) and mlps (the MLPS Regulation draft)")
        } else {
            format!("--law {l}：题库只涵盖 csl（网络安全法）和 mlps（网络安全等级保护条例（征求意见稿））")
        })),
        other => Ok(other),
    }
}

/// The bank for `date`; a reviewers' file given by the user that breaks a rule is bad input.
fn build(date: Option<&str>, review: Option<&std::path::Path>) -> anyhow::Result<Bank> {
    let date = match date {
        Some(s) => s.trim().parse::<jiff::civil::Date>().map_err(|e| {
            BadInput::new(format!(
                "--date {s}: 日期应为 YYYY-MM-DD / a date YYYY-MM-DD: {e}"
            ))
        })?,
        None => dengbao_duties::date_of(jiff::Timestamp::now()),
    };
    match review {
        None => Ok(Bank::build(date)?),
        Some(path) => {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| BadInput::new(format!("--review {name}: {e}")))?;
            Bank::build_with(date, &name, &text).map_err(|e| BadInput::new(e.to_string()))
        }
    }
}

/// Questions with lettered choices; with `answers`, the key and the cited place; with
/// `ids`, each question's id (what a reviewer names in data/training/questions.toml).
fn print(qs: &[&Question], answers: bool, ids: bool, lang: Lang) -> anyhow::Result<()> {
    let citer = dengbao_corpus::Citer::embedded().map_err(|e| anyhow::anyhow!("{e}"))?;
    for (n, q) in qs.iter().enumerate() {
        let (question, choices) = if lang.is_en() {
            (&q.question_en, &q.choices_en)
        } else {
            (&q.question, &q.choices)
        };
        if ids {
            println!("{}. [{}] {question}", n + 1, q.id);
        } else {
            println!("{}. {question}", n + 1);
        }
        for (i, c) in choices.iter().enumerate() {
            println!("   {}. {c}", letter(i, lang));
        }
        if answers {
            let c = &q.citation;
            let version = msg(lang, &dengbao_i18n::version_key(&q.law, &q.version));
            if lang.is_en() {
                let mut at = format!("Article {}", c.article);
                if let Some(p) = c.paragraph {
                    at.push_str(&format!(", paragraph {p}"));
                }
                if let Some(i) = c.item {
                    at.push_str(&format!(", item ({i})"));
                }
                println!(
                    "   Answer: {} ({at} of the {}, {version})",
                    letter(q.answer, lang),
                    law_title_en(&citer, &q.law)
                );
            } else {
                let mut at = format!("第{}条", dengbao_corpus::numerals::to_chinese(c.article));
                if let Some(p) = c.paragraph {
                    at.push_str(&format!("第{}款", dengbao_corpus::numerals::to_chinese(p)));
                }
                if let Some(i) = c.item {
                    at.push_str(&format!(
                        "第（{}）项",
                        dengbao_corpus::numerals::to_chinese(i)
                    ));
                }
                println!(
                    "   答案：{}（《{}》{at}，{version}）",
                    letter(q.answer, lang),
                    law_title(&citer, &q.law)
                );
            }
        }
        println!();
    }
    Ok(())
}

/// A choice's letter: A–D in English; full-width Ａ–Ｄ in Chinese, as Chinese exam papers
/// set them (and so no ASCII word stands in a Chinese line, decision 0934).
fn letter(i: usize, lang: Lang) -> char {
    let base = if lang.is_en() { 'A' } else { 'Ａ' };
    char::from_u32(base as u32 + (i % 26) as u32).unwrap_or(base)
}

/// `training work-plan`: the plan's points, each with the articles it relates to.
fn work_plan(json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let points = dengbao_training::work_plan::points().map_err(anyhow::Error::msg)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&points)?);
        return Ok(ExitCode::SUCCESS);
    }
    for p in &points {
        let cites: Vec<String> = [("csl", &p.csl), ("mlps", &p.mlps)]
            .iter()
            .flat_map(|(law, arts)| {
                arts.iter().map(move |a| {
                    let c = dengbao_types::Citation::article(law, *a);
                    if lang.is_en() {
                        dengbao_duties::basis::cite_en(&c)
                    } else {
                        dengbao_duties::basis::cite_zh(&c)
                    }
                })
            })
            .collect();
        let title = p
            .title
            .split_once(". ")
            .map_or(p.title.as_str(), |(_, t)| t);
        match (lang.is_en(), cites.is_empty()) {
            (false, true) => println!("{:>2}. {title}", p.number),
            (false, false) => {
                println!("{:>2}. {title}（相关条款：{}）", p.number, cites.join("、"))
            }
            (true, true) => println!("{:>2}. 「{title}」", p.number),
            (true, false) => println!(
                "{:>2}. 「{title}」 (related: {})",
                p.number,
                cites.join(", ")
            ),
        }
    }
    println!(
        "{}",
        t(
            lang,
            "《网络安全法》条款按2016年文本编号。各单位按年度记录每项的进展和证明材料：PUT /api/organisations/{id}/work-plan/{year}/{point}",
            "Cybersecurity Law articles are numbered as in the 2016 text. Each organisation records each point's progress and evidence per year: PUT /api/organisations/{id}/work-plan/{year}/{point}",
        )
    );
    Ok(ExitCode::SUCCESS)
}
