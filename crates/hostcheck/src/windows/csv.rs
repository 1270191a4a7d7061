//! The two CSV exports: `auditpol /backup` (subcategories by GUID, because their names are
//! localised — a Chinese-locale export says `登录` for Logon) and PowerShell's
//! `Export-Csv` of `Get-Service` (whose `Status` and `StartType` are enum names, the same
//! in every locale).

use super::Line;

/// A CSV record: fields split on commas, `"…"` quoting with `""` for a quote inside.
pub fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_string());
    out
}

/// One subcategory of the system audit policy.
#[derive(Debug, Clone)]
pub struct AuditRow {
    /// `{0CCE9215-69AE-11D9-BED3-505054503030}`, upper case.
    pub guid: String,
    /// 0 none, 1 success, 2 failure, 3 both (`Setting Value`).
    pub setting: Option<u8>,
    pub line: Line,
}

/// The system rows of an auditpol backup (per-user rows and `Option:` rows left out).
/// `None` when the text is not an auditpol backup (no row has a subcategory GUID).
pub fn audit_rows(text: &str) -> Option<Vec<AuditRow>> {
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let f = fields(raw);
        // Machine Name, Policy Target, Subcategory, Subcategory GUID, Inclusion Setting,
        // Exclusion Setting, Setting Value.
        let (Some(target), Some(guid)) = (f.get(1), f.get(3)) else {
            continue;
        };
        if !is_guid(guid) || !(target.eq_ignore_ascii_case("System") || target == "系统") {
            continue;
        }
        rows.push(AuditRow {
            guid: guid.to_ascii_uppercase(),
            setting: f
                .get(6)
                .and_then(|v| v.parse().ok())
                .filter(|v| *v <= 3)
                .or_else(|| f.get(4).and_then(|v| inclusion(v))),
            line: Line::new(i + 1, raw),
        });
    }
    (!rows.is_empty()).then_some(rows)
}

/// `Inclusion Setting` as words, for `auditpol /get /category:* /r`, which has no
/// `Setting Value` column: English and Chinese (the other locales' words are not known
/// here and give no setting).
fn inclusion(words: &str) -> Option<u8> {
    match words.trim() {
        "No Auditing" | "无审核" => Some(0),
        "Success" | "成功" => Some(1),
        "Failure" | "失败" => Some(2),
        "Success and Failure" | "成功和失败" => Some(3),
        _ => None,
    }
}

fn is_guid(s: &str) -> bool {
    let Some(inner) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
        return false;
    };
    let parts: Vec<usize> = inner.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && inner.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// One service of `Get-Service | Select-Object Name,Status,StartType | Export-Csv`.
#[derive(Debug, Clone)]
pub struct ServiceRow {
    pub name: String,
    /// `Running`, `Stopped` … (or the enum's number).
    pub status: String,
    /// `Automatic`, `Manual`, `Disabled` … (or the enum's number).
    pub start_type: String,
    pub line: Line,
}

impl ServiceRow {
    pub fn running(&self) -> bool {
        self.status.eq_ignore_ascii_case("Running") || self.status == "4"
    }
    pub fn automatic(&self) -> bool {
        self.start_type.eq_ignore_ascii_case("Automatic") || self.start_type == "2"
    }
}

/// The services and the header line; `None` when no header names `Name` and `Status`
/// (not a Get-Service export). PowerShell 5.1's `#TYPE …` first line is skipped.
pub fn services(text: &str) -> Option<(Line, Vec<ServiceRow>)> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with("#TYPE"));
    let (hi, header) = lines.next()?;
    let cols = fields(header);
    let col = |name: &str| cols.iter().position(|c| c.eq_ignore_ascii_case(name));
    let (name, status) = (col("Name")?, col("Status")?);
    let start = col("StartType");
    let rows = lines
        .filter_map(|(i, l)| {
            let f = fields(l);
            Some(ServiceRow {
                name: f.get(name)?.clone(),
                status: f.get(status)?.clone(),
                start_type: start.and_then(|s| f.get(s)).cloned().unwrap_or_default(),
                line: Line::new(i + 1, l),
            })
        })
        .collect();
    Some((Line::new(hi + 1, header), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_auditpol_backup_reads_by_guid_whatever_the_language() {
        let text = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n\
                    WIN-7Q2,系统,登录,{0cce9215-69ae-11d9-bed3-505054503030},成功和失败,,3\r\n\
                    WIN-7Q2,,Option:CrashOnAuditFail,,Disabled,,0\r\n";
        let rows = audit_rows(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].guid, "{0CCE9215-69AE-11D9-BED3-505054503030}");
        assert_eq!((rows[0].setting, rows[0].line.number), (Some(3), 2));
        assert!(audit_rows("Name,Status\nEventLog,Running\n").is_none());
        // `auditpol /get /category:* /r`: no Setting Value, the words decide.
        let report = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting\r\n\
                      PC,System,Account Lockout,{0CCE9217-69AE-11D9-BED3-505054503030},Failure,\r\n";
        assert_eq!(audit_rows(report).unwrap()[0].setting, Some(2));
    }

    #[test]
    fn a_get_service_export_reads_with_or_without_its_type_line() {
        let text = "#TYPE Selected.System.ServiceProcess.ServiceController\r\n\"Name\",\"Status\",\"StartType\"\r\n\"EventLog\",\"Running\",\"Automatic\"\r\n";
        let (header, rows) = services(text).unwrap();
        assert_eq!(header.number, 2);
        assert!(rows[0].running() && rows[0].automatic());
        assert_eq!(rows[0].line.number, 3);
        assert_eq!(fields("a,\"b,\"\"c\"\"\",d"), ["a", "b,\"c\"", "d"]);
    }
}
