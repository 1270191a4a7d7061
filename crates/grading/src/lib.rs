//! MLPS grading (定级): harmed object × degree of harm → protection level, on GB/T
//! 22240-2020 (default) or the draft regulation's 第十五条 matrix.
//!
//! Both bases grade business information security (业务信息安全) and system service
//! security (系统服务安全) separately and take the higher level. The matrices, their
//! citations and what follows from a level (第十六条–第十八条) are data in
//! `data/grading/matrices.toml`, embedded in the binary.
//!
//! Invariant: `grade` is total (every input has a level) and does no I/O.
//! Invariant: the disagreement note (tagged [`DISAGREEMENT_TAG`]) appears exactly when the
//! other basis would give a different level.

use std::sync::OnceLock;

use dengbao_types::{Citation, Level};

mod floors;
mod matrix;
mod model;

pub use floors::{floor_warnings, floors, Floor, FLOORS_TOML};

pub use matrix::{Cell, Consequence, Matrices, Matrix, MatrixError, MATRICES_TOML};
pub use model::{Basis, Degree, GradeInput, GradeOutcome, Harm, Object};

/// Every note that says the two bases disagree starts with this tag.
pub const DISAGREEMENT_TAG: &str = "【依据分歧】";

/// The embedded matrices, parsed once.
pub fn builtin() -> &'static Matrices {
    static BUILTIN: OnceLock<Matrices> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        // The embedded file is checked by `embedded_matrices_are_complete` and by every
        // test of this crate; it cannot change after the build.
        Matrices::parse(MATRICES_TOML).expect("data/grading/matrices.toml") // ok: tested data
    })
}

/// The level of one harm under one basis.
pub fn level_of(basis: Basis, harm: Harm) -> Level {
    builtin().matrix(basis).cell(harm).level
}

/// The network's level under one basis: the higher of business and service.
pub fn network_level(basis: Basis, business: Harm, service: Harm) -> Level {
    level_of(basis, business).max(level_of(basis, service))
}

/// Grades a network with the embedded matrices.
pub fn grade(input: &GradeInput) -> GradeOutcome {
    grade_with(builtin(), input)
}

/// Grades a network with the given matrices.
pub fn grade_with(m: &Matrices, input: &GradeInput) -> GradeOutcome {
    let basis = input.basis.unwrap_or_default();
    let mx = m.matrix(basis);
    let b_cell = mx.cell(input.business);
    let s_cell = mx.cell(input.service);
    let level = b_cell.level.max(s_cell.level);

    let other = m.matrix(basis.other());
    let other_level = other
        .cell(input.business)
        .level
        .max(other.cell(input.service).level);

    let mut notes = Vec::new();
    if other_level != level {
        notes.push(disagreement(m, input, basis, level, other_level));
    }
    notes.push(cell_note(
        "业务信息安全",
        "business information security",
        input.business,
        b_cell.level,
        mx,
    ));
    notes.push(cell_note(
        "系统服务安全",
        "system service security",
        input.service,
        s_cell.level,
        mx,
    ));
    notes.push(max_note(b_cell.level, s_cell.level));
    if basis == Basis::MlpsDraft {
        notes.push(
            "条例（征求意见稿）第十五条只规定一张定级矩阵，未区分业务信息安全与系统服务安全；这里对两者分别套用该矩阵，取较高者 / \
             article 15 of the draft gives a single matrix and does not separate business information from system service; \
             both are graded with it and the higher level is taken"
                .to_string(),
        );
    }

    let mut citations: Vec<Citation> = Vec::new();
    let mut cite = |c: &Citation| {
        if !citations.contains(c) {
            citations.push(c.clone());
        }
    };
    // The cell that sets the level first.
    let (first, second) = if s_cell.level > b_cell.level {
        (s_cell, b_cell)
    } else {
        (b_cell, s_cell)
    };
    first.cite.iter().for_each(&mut cite);
    second.cite.iter().for_each(&mut cite);
    for c in m.consequences.iter().filter(|c| level >= c.min_level) {
        c.cite.iter().for_each(&mut cite);
        notes.push(format!("{} / {}", c.zh, c.en));
    }

    GradeOutcome {
        level,
        business_level: b_cell.level,
        service_level: s_cell.level,
        basis,
        citations,
        notes,
    }
}

fn cell_note(zh: &str, en: &str, h: Harm, level: Level, mx: &Matrix) -> String {
    format!(
        "{zh}：受侵害的客体为{}，侵害程度为{}，依据{}定为{} / {en}: {} to {} → level {} under {}",
        h.object.zh(),
        h.degree.zh(h.object),
        mx.zh,
        level.zh(),
        h.degree.en(),
        h.object.en(),
        level,
        mx.en,
    )
}

fn max_note(b: Level, s: Level) -> String {
    let level = b.max(s);
    if b == s {
        format!(
            "业务信息安全与系统服务安全同为{}，网络的安全保护等级为{} / business information and system service are both level {b}, so the network is level {level}",
            b.zh(),
            level.zh()
        )
    } else {
        let (hi_zh, hi_en, lo_zh, lo_en) = if b > s {
            (
                "业务信息安全",
                "business information",
                "系统服务安全",
                "system service",
            )
        } else {
            (
                "系统服务安全",
                "system service",
                "业务信息安全",
                "business information",
            )
        };
        let lo = b.min(s);
        format!(
            "网络的安全保护等级取两者中较高者：{hi_zh}等级（{}）高于{lo_zh}等级（{}），定为{} / the network's level is the higher of the two: {hi_en} (level {level}) is above {lo_en} (level {lo}), so level {level}",
            level.zh(),
            lo.zh(),
            level.zh()
        )
    }
}

fn disagreement(
    m: &Matrices,
    input: &GradeInput,
    basis: Basis,
    level: Level,
    other_level: Level,
) -> String {
    let (gbt, draft) = match basis {
        Basis::Gbt22240_2020 => (level, other_level),
        Basis::MlpsDraft => (other_level, level),
    };
    // Which of the input's cells the two matrices grade differently.
    let g = m.matrix(Basis::Gbt22240_2020);
    let d = m.matrix(Basis::MlpsDraft);
    let mut cells_zh = Vec::new();
    let mut cells_en = Vec::new();
    for h in [input.business, input.service] {
        let (gl, dl) = (g.cell(h).level, d.cell(h).level);
        let zh = format!(
            "{}受到{}（标准{}，条例{}）",
            h.object.zh(),
            h.degree.zh(h.object),
            gl.zh(),
            dl.zh()
        );
        if gl != dl && !cells_zh.contains(&zh) {
            cells_zh.push(zh);
            cells_en.push(format!(
                "{} × {} (level {gl} in the standard, {dl} in the draft)",
                h.object.id(),
                h.degree.id()
            ));
        }
    }
    format!(
        "{DISAGREEMENT_TAG}依据 GB/T 22240-2020 本网络为{}；按条例（征求意见稿）第十五条为{}。分歧在于：{}。当前采用 {} / \
         [bases disagree] under GB/T 22240-2020 this network is level {gbt}; under article 15 of the draft regulation it is level {draft}. \
         They differ on: {}. This result uses {}",
        gbt.zh(),
        draft.zh(),
        cells_zh.join("；"),
        basis.id(),
        cells_en.join("; "),
        basis.id(),
    )
}

/// Bad grading input; the message names the field (e.g. `business.degree`).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct InputError {
    /// Dotted path of the offending field, `.` for the whole document.
    pub path: String,
    pub message: String,
}

/// Parses grading input JSON (`{"basis"?, "business": {...}, "service": {...}}`), naming
/// the offending field in errors.
pub fn parse_json(text: &str) -> Result<GradeInput, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let input: GradeInput = serde_path_to_error::deserialize(&mut de).map_err(|e| InputError {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })?;
    de.end().map_err(|e| InputError {
        path: ".".to_string(),
        message: format!("trailing characters after the JSON object: {e}"),
    })?;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_matrices_are_complete() {
        Matrices::parse(MATRICES_TOML).expect("embedded matrices parse");
    }
}
