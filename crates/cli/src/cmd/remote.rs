//! A running dengbao server reached from the CLI with an API token: `assess record|show`
//! and `host report`. Statuses are answers (a 422 names what was refused: exit 2); an
//! unreachable server, a refused token or a denied user exit 1, each said so.

use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use dengbao_types::Lang;
use serde_json::Value;

use crate::BadInput;

/// Where the server is and who is asking.
#[derive(Args, Debug)]
pub struct ServerArgs {
    /// The dengbao server, e.g. http://127.0.0.1:8080 (https works too).
    #[arg(long)]
    pub server: String,
    /// An API token (dbk_…) of a user who may do this on the network (the engaged assessor
    /// to record results, anyone who may read it to show them; the operator to send a host
    /// report).
    #[arg(long, env = "DENGBAO_TOKEN", hide_env_values = true)]
    pub token: String,
    /// The network's id.
    #[arg(long)]
    pub network: String,
}

/// A server reached with one token.
pub struct Remote {
    base: String,
    token: String,
    agent: ureq::Agent,
    lang: Lang,
}

/// What the server answered: status and JSON body (`Null` when it was not JSON).
pub struct Answer {
    pub status: u16,
    pub json: Value,
}

impl Remote {
    pub fn new(a: &ServerArgs, lang: Lang) -> anyhow::Result<Remote> {
        let base = a.server.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(BadInput::new(format!(
                "--server {:?}: 应以 http:// 或 https:// 开头 / must start with http:// or https://",
                a.server
            )));
        }
        if a.token.trim().is_empty() {
            return Err(BadInput::new(
                "--token: 不能为空 / empty (or set DENGBAO_TOKEN)",
            ));
        }
        // Statuses are answers to read, not transport errors: 422 names the refused item.
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Ok(Remote {
            base,
            token: a.token.trim().to_string(),
            agent,
            lang,
        })
    }

    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> anyhow::Result<Answer> {
        let url = format!("{}{path}", self.base);
        let auth = format!("Bearer {}", self.token);
        let reply = match body {
            None => self.agent.get(&url).header("Authorization", &auth).call(),
            Some(b) => self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(serde_json::to_vec(b)?),
        };
        let mut reply = reply.with_context(|| {
            format!(
                "{method} {url}: {}",
                self.lang
                    .pick("无法连接服务器", "the server could not be reached")
            )
        })?;
        let status = reply.status().as_u16();
        let bytes = reply
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .with_context(|| format!("{method} {url}: reading the answer"))?;
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok(Answer { status, json })
    }

    /// The answer when it is a success; otherwise the error to exit with: a refused input
    /// (422) is the user's (exit 2), anything else the server's or the access's (exit 1).
    pub fn ok(&self, a: Answer, what: &str) -> anyhow::Result<Value> {
        if (200..300).contains(&a.status) {
            return Ok(a.json);
        }
        let message = a.json["error"]["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| a.json.to_string());
        let why = match a.status {
            401 => self.lang.pick(
                "令牌无效、已过期或已撤销",
                "the token is not valid, has expired or was revoked",
            ),
            403 => self.lang.pick(
                "此令牌的用户无权执行此操作（记录测评结果须为受委托的测评机构，提交主机检查须为运营者或受委托的测评机构）",
                "this token's user may not do this (recording results needs the engaged assessor; a host report the operator or the engaged assessor)",
            ),
            404 => self.lang.pick(
                "网络不存在或不在此令牌的范围内",
                "no such network within this token's reach",
            ),
            422 => return Err(BadInput::new(format!("{what}: {message}"))),
            _ => self.lang.pick("服务器出错", "the server failed"),
        };
        Err(anyhow::anyhow!(
            "{what}: {why} (HTTP {}: {message})",
            a.status
        ))
    }
}
