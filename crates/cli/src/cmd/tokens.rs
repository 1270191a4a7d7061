//! `dengbao tokens`: API tokens from the server's own shell (decision 0923) — issue one for a
//! user with an optional expiry, list them, revoke one. Audited with actor `cli`.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Subcommand;
use dengbao_store::tokens::parse_expiry;
use dengbao_types::Lang;

use crate::cmd::serve::{open, runtime};
use crate::{BadInput, Ctx};

#[derive(Subcommand, Debug)]
pub enum TokensCmd {
    /// Issue an API token for a user; it is printed once.
    Create {
        /// The user's name.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "")]
        label: String,
        /// Refused from then on: a date (2027-06-30, through the end of that day in
        /// Asia/Shanghai) or an RFC 3339 time. Absent: never expires.
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
    },
    /// Every token (or one user's), without secrets.
    List {
        #[arg(long)]
        user: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token at once.
    Revoke { id: String },
}

pub fn run(cmd: TokensCmd, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        let store = open(ctx).await?;
        let user_id = |name: &str| {
            let name = name.trim().to_string();
            let store = store.clone();
            async move {
                let users = store.list_users().await.context("reading the users")?;
                users
                    .into_iter()
                    .find(|u| u.name == name)
                    .map(|u| u.id)
                    .ok_or_else(|| {
                        BadInput::new(format!("--user {name:?}: no such user (用户不存在)"))
                    })
            }
        };
        match cmd {
            TokensCmd::Create {
                user,
                label,
                expires,
            } => {
                let expiry = expires
                    .as_deref()
                    .map(parse_expiry)
                    .transpose()
                    .map_err(|e| BadInput::new(format!("--expires: {e}")))?;
                let id = user_id(&user).await?;
                let issued = store
                    .create_token_until("cli", &id, &label, expiry)
                    .await
                    .map_err(|e| BadInput::new(e.to_string()))?;
                println!("{}", issued.token);
                let until = issued.expires_at.unwrap_or_default();
                match (ctx.lang, until.is_empty()) {
                    (Lang::ZhCn, true) => eprintln!("令牌 {} 长期有效；只显示这一次。", issued.id),
                    (Lang::ZhCn, false) => {
                        eprintln!("令牌 {} 有效期至 {until}；只显示这一次。", issued.id)
                    }
                    (Lang::En, true) => {
                        eprintln!("token {} never expires; shown this once.", issued.id)
                    }
                    (Lang::En, false) => {
                        eprintln!("token {} expires at {until}; shown this once.", issued.id)
                    }
                }
            }
            TokensCmd::List { user, json } => {
                let id = match &user {
                    Some(u) => Some(user_id(u).await?),
                    None => None,
                };
                let list = store
                    .list_tokens(id.as_deref())
                    .await
                    .context("reading the tokens")?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    for t in list {
                        let never = match ctx.lang {
                            Lang::ZhCn => "长期有效",
                            Lang::En => "never",
                        };
                        let state = match (ctx.lang, t.state.as_str()) {
                            (Lang::ZhCn, "active") => "有效",
                            (Lang::ZhCn, "expired") => "已过期",
                            (Lang::ZhCn, _) => "已吊销",
                            (Lang::En, s) => s,
                        };
                        let unused = match ctx.lang {
                            Lang::ZhCn => "未使用",
                            Lang::En => "not used",
                        };
                        let used = match (ctx.lang, &t.last_used) {
                            (Lang::ZhCn, Some(at)) => format!("最近使用 {at}"),
                            (Lang::En, Some(at)) => format!("last used {at}"),
                            (_, None) => unused.to_string(),
                        };
                        println!(
                            "{}  {}  {}  {}  {}  {}  {}",
                            t.id,
                            t.user_name,
                            state,
                            t.created_at,
                            t.expires_at.as_deref().unwrap_or(never),
                            used,
                            t.label
                        );
                    }
                }
            }
            TokensCmd::Revoke { id } => {
                store
                    .revoke_token("cli", &id)
                    .await
                    .map_err(|e| BadInput::new(e.to_string()))?;
                match ctx.lang {
                    Lang::ZhCn => println!("令牌 {id} 已吊销"),
                    Lang::En => println!("token {id} revoked"),
                }
            }
        }
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
