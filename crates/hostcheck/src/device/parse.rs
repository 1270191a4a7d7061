//! A configuration as a block tree, and whose it is. Blocks are by indentation: a line
//! owns the more-indented lines after it (`user-interface vty 0 4` and its ` protocol
//! inbound ssh`). `#` (VRP, Comware) and `!` (IOS) lines separate sections and close the
//! blocks at or below their indentation (VRP 8 nests ` #` inside `aaa`); Comware's
//! one-space-indented global commands (` sysname H3C` after `#`) are top-level because
//! nothing above them in their section owns them. Banners are text, not commands.

use super::decode;

/// The vendors whose configurations are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Huawei VRP 5 / VRP 8 (`display current-configuration`).
    Huawei,
    /// H3C Comware 5 / 7 (`display current-configuration`).
    H3c,
    /// Cisco IOS / IOS-XE (`show running-config`).
    Cisco,
}

impl Vendor {
    /// From `--vendor`.
    pub fn from_key(key: &str) -> Option<Vendor> {
        match key.trim().to_ascii_lowercase().as_str() {
            "huawei" | "vrp" => Some(Vendor::Huawei),
            "h3c" | "comware" => Some(Vendor::H3c),
            "cisco" | "ios" => Some(Vendor::Cisco),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Vendor::Huawei => "huawei",
            Vendor::H3c => "h3c",
            Vendor::Cisco => "cisco",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Huawei => "Huawei VRP",
            Vendor::H3c => "H3C Comware",
            Vendor::Cisco => "Cisco IOS",
        }
    }
    /// The report's `host.os_id`.
    pub fn os_id(self) -> &'static str {
        match self {
            Vendor::Huawei => "huawei-vrp",
            Vendor::H3c => "h3c-comware",
            Vendor::Cisco => "cisco-ios",
        }
    }
    pub(crate) fn system_name(self) -> &'static str {
        self.name()
    }
    /// The command that names the device in its configuration.
    fn name_command(self) -> &'static str {
        match self {
            Vendor::Cisco => "hostname",
            _ => "sysname",
        }
    }
}

/// One command line of the configuration.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based, in the file.
    pub number: usize,
    /// Without indentation or trailing blanks.
    pub text: String,
    pub indent: usize,
    /// The index (in `DeviceConfig::lines`) of the block header owning this line.
    pub parent: Option<usize>,
}

/// A parsed configuration.
#[derive(Debug, Clone)]
pub struct DeviceConfig {
    /// The file as the user named it (evidence names it).
    pub file: String,
    /// Detected or given; `None` when not recognised.
    pub vendor: Option<Vendor>,
    /// Why the vendor is what it is (or is not recognised), in Chinese and English.
    pub why_zh: String,
    pub why_en: String,
    /// From the header (`!Software Version V200R019C10SPC500`, ` version 7.1.070,
    /// Release 6328`, `version 15.2`).
    pub version: Option<String>,
    /// `sysname` / `hostname`.
    pub hostname: Option<String>,
    /// The command lines (separators, blank lines and banner text left out).
    pub lines: Vec<Line>,
}

impl DeviceConfig {
    /// Parses `bytes`, read from `file`; `vendor` overrides detection (`--vendor`).
    pub fn parse(file: &str, bytes: &[u8], vendor: Option<Vendor>) -> DeviceConfig {
        let lines = tree(&decode::lines(bytes));
        let (detected, why_zh, why_en) = match vendor {
            Some(v) => (
                Some(v),
                "由 --vendor 指定".to_string(),
                "given with --vendor".to_string(),
            ),
            None => detect(&lines),
        };
        let top = |prefix: &str| {
            lines
                .iter()
                .filter(|l| l.parent.is_none())
                .find_map(|l| l.text.strip_prefix(prefix))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let version = match detected {
            Some(Vendor::Huawei) => top("!Software Version "),
            Some(Vendor::H3c) => top("version ").map(|v| v.replace(", ", " ")),
            Some(Vendor::Cisco) => top("version "),
            None => None,
        };
        let hostname = match detected {
            Some(Vendor::Cisco) => top("hostname "),
            Some(_) => top("sysname "),
            None => None,
        };
        // Every export names the device; text without that name is not a configuration,
        // whatever --vendor says (an absence found in it would be no finding).
        let (detected, why_zh, why_en) = match (detected, &hostname) {
            (Some(v), None) => (
                None,
                format!(
                    "没有 {} 行，不像是 {} 的配置导出",
                    v.name_command(),
                    v.name()
                ),
                format!(
                    "no {} line: not an exported {} configuration",
                    v.name_command(),
                    v.name()
                ),
            ),
            _ => (detected, why_zh, why_en),
        };
        let version = version.filter(|_| detected.is_some());
        DeviceConfig {
            file: file.to_string(),
            vendor: detected,
            why_zh,
            why_en,
            version,
            hostname,
            lines,
        }
    }

    /// The lines under block `at` (its whole subtree), in order.
    pub fn children(&self, at: usize) -> impl Iterator<Item = &Line> {
        // A block's lines follow its header without a break (the tree is built in order).
        self.lines
            .iter()
            .skip(at + 1)
            .take_while(move |l| self.is_under(l, at))
    }

    fn is_under(&self, line: &Line, at: usize) -> bool {
        let mut p = line.parent;
        // Parents come before their children, so this walk ends.
        while let Some(i) = p {
            if i == at {
                return true;
            }
            p = self.lines.get(i).and_then(|l| l.parent);
        }
        false
    }

    /// The indices of the top-level lines matching `re` (block headers and global commands).
    pub fn top_level<'a>(&'a self, re: &'a regex::Regex) -> impl Iterator<Item = usize> + 'a {
        self.lines
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.parent.is_none() && re.is_match(&l.text))
            .map(|(i, _)| i)
    }
}

/// Lines → the tree (parents by indentation, separators closing blocks).
fn tree(raw: &[String]) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    // Open blocks: (indent, index in out).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut banner: Option<String> = None;
    for (i, raw) in raw.iter().enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let text = raw.trim();
        if let Some(delim) = &banner {
            if text.contains(delim.as_str()) {
                banner = None;
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        // `#` and `!` lines separate; `!Software Version …` (VRP's header) is a line.
        if text.starts_with('#') || text == "!" || text.starts_with("! ") {
            open.retain(|(d, _)| *d < indent);
            continue;
        }
        while open.last().is_some_and(|(d, _)| *d >= indent) {
            open.pop();
        }
        let parent = open.last().map(|(_, p)| *p);
        out.push(Line {
            number: i + 1,
            text: text.to_string(),
            indent,
            parent,
        });
        open.push((indent, out.len() - 1));
        banner = banner_delimiter(text);
    }
    out
}

/// A banner or header whose text runs past this line: the delimiter that ends it.
/// `banner motd ^C` (IOS prints the delimiter as `^C`), `header login %` (Comware),
/// `header shell information "…"` (VRP).
fn banner_delimiter(text: &str) -> Option<String> {
    let mut words = text.splitn(2, ' ');
    let first = words.next()?;
    if first != "banner" && first != "header" {
        return None;
    }
    let rest = words.next()?.trim_start();
    // The banner's kind (`motd`, `login`, `exec`, `shell`, …) and VRP's `information`.
    let mut body = rest.split_once(' ').map(|(_, b)| b.trim_start())?;
    if let Some(b) = body.strip_prefix("information ") {
        body = b.trim_start();
    }
    let delim: String = if body.starts_with("^C") {
        "^C".into()
    } else {
        body.chars().next()?.to_string()
    };
    // Closed on the same line: nothing to skip.
    let after = &body[delim.len()..];
    (!after.contains(delim.as_str())).then_some(delim)
}

/// Whose configuration this is, from what only one vendor writes; unsure = `None`.
fn detect(lines: &[Line]) -> (Option<Vendor>, String, String) {
    let mut score = [0i32; 3];
    let (hw, h3, cs) = (0, 1, 2);
    let has = |p: &str| lines.iter().any(|l| l.text.starts_with(p));
    let top = |p: &str| {
        lines
            .iter()
            .any(|l| l.parent.is_none() && l.text.starts_with(p))
    };
    let mut add = |cond: bool, who: &[usize], n: i32| {
        if cond {
            for w in who {
                score[*w] += n;
            }
        }
    };
    // Shared by VRP and Comware.
    add(top("sysname "), &[hw, h3], 2);
    add(top("return"), &[hw, h3], 1);
    add(has("undo "), &[hw, h3], 1);
    // VRP.
    add(top("!Software Version V"), &[hw], 4);
    add(has("stelnet server enable"), &[hw], 2);
    add(has("authentication-mode aaa"), &[hw], 2);
    add(has("local-user ") && has("irreversible-cipher"), &[hw], 1);
    add(has("traffic-filter "), &[hw], 1);
    add(
        has("ntp-service unicast-server") && has("info-center loghost") && has("domain default"),
        &[hw],
        1,
    );
    // Comware.
    add(
        lines.iter().any(|l| {
            l.parent.is_none()
                && l.text.starts_with("version ")
                && (l.text.contains("Release") || l.text.contains("ESS"))
        }),
        &[h3],
        4,
    );
    add(has("authentication-mode scheme"), &[h3], 2);
    add(has("ssh server enable"), &[h3], 2);
    add(has("line class ") || has("user-role "), &[h3], 1);
    add(has("domain system"), &[h3], 1);
    add(has("packet-filter "), &[h3], 1);
    // IOS.
    add(top("hostname "), &[cs], 2);
    add(top("end"), &[cs], 1);
    add(
        lines.iter().any(|l| {
            l.parent.is_none()
                && l.text.starts_with("version ")
                && l.text
                    .strip_prefix("version ")
                    .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        }),
        &[cs],
        2,
    );
    add(
        top("Current configuration :") || top("Building configuration"),
        &[cs],
        2,
    );
    add(top("line vty ") && has("transport input"), &[cs], 2);
    add(has("ip ssh ") || has("service timestamps"), &[cs], 1);

    let best = (0..3).max_by_key(|i| score.get(*i).copied().unwrap_or(0));
    let vendors = [Vendor::Huawei, Vendor::H3c, Vendor::Cisco];
    let scores = format!(
        "huawei {}, h3c {}, cisco {}",
        score[hw], score[h3], score[cs]
    );
    match best {
        Some(b)
            if score[b] >= 3
                && score
                    .iter()
                    .enumerate()
                    .all(|(i, s)| i == b || *s < score[b]) =>
        {
            let v = vendors[b];
            (
                Some(v),
                format!("按内容识别为 {}（得分 {scores}）", v.name()),
                format!("recognised as {} from its content ({scores})", v.name()),
            )
        }
        _ => (
            None,
            format!("特征不足或相互矛盾：{scores}"),
            format!("too few or conflicting marks: {scores}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_follow_indentation_and_banners_are_text() {
        let text = "hostname R1\n!\nbanner motd ^C\nline vty 0 4\n transport input all\n^C\n!\naaa\n authentication-scheme a\n  authentication-mode hwtacacs\n #\n domain d\nline vty 0 4\n transport input ssh\nend\n";
        let c = DeviceConfig::parse("r1.cfg", text.as_bytes(), Some(Vendor::Cisco));
        let texts: Vec<&str> = c.lines.iter().map(|l| l.text.as_str()).collect();
        // The banner's body is not read as commands.
        assert!(!texts.contains(&"transport input all"), "{texts:?}");
        let aaa = c.lines.iter().position(|l| l.text == "aaa").unwrap();
        let under: Vec<&str> = c.children(aaa).map(|l| l.text.as_str()).collect();
        assert_eq!(
            under,
            [
                "authentication-scheme a",
                "authentication-mode hwtacacs",
                "domain d"
            ]
        );
        let vty = c
            .lines
            .iter()
            .position(|l| l.text == "line vty 0 4")
            .unwrap();
        let under: Vec<&str> = c.children(vty).map(|l| l.text.as_str()).collect();
        assert_eq!(under, ["transport input ssh"]);
        assert_eq!(c.lines[vty].number, 13);
    }

    #[test]
    fn a_vendor_given_without_a_device_name_is_not_taken() {
        let c = DeviceConfig::parse(
            "x.txt",
            b"interface Vlanif1\n ip address 10.0.0.1 24\n",
            Some(Vendor::Huawei),
        );
        assert!(c.vendor.is_none());
        assert!(c.why_en.contains("sysname"), "{}", c.why_en);
    }
}
