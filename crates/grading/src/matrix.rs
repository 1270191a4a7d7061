//! The matrices as data (`data/grading/matrices.toml`), parsed and checked.

use dengbao_types::{Citation, Level};
use serde::Deserialize;

use crate::{Basis, Degree, Harm, Object};

/// The embedded matrices file.
pub const MATRICES_TOML: &str = include_str!("../../../data/grading/matrices.toml");

/// A malformed matrices file (a data bug, caught by the crate's tests).
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("matrices.toml: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("matrices.toml: basis `{0}` is defined twice")]
    DuplicateBasis(String),
    #[error("matrices.toml: basis `{0}` is missing")]
    MissingBasis(String),
    #[error("matrices.toml: basis `{basis}`: cell {object} × {degree} is defined twice")]
    DuplicateCell {
        basis: String,
        object: String,
        degree: String,
    },
    #[error("matrices.toml: basis `{basis}`: cell {object} × {degree} is missing")]
    MissingCell {
        basis: String,
        object: String,
        degree: String,
    },
    #[error("matrices.toml: basis `{basis}`: cell {object} × {degree} cites nothing")]
    NoCitation {
        basis: String,
        object: String,
        degree: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    basis: Vec<RawBasis>,
    #[serde(default)]
    consequence: Vec<Consequence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBasis {
    id: Basis,
    zh: String,
    en: String,
    #[allow(dead_code)] // for reviewers: where the matrix comes from
    source: String,
    cell: Vec<RawCell>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    object: Object,
    degree: Degree,
    level: Level,
    cite: Vec<Citation>,
}

/// What follows from a level, whatever the basis.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consequence {
    pub min_level: Level,
    pub cite: Vec<Citation>,
    pub zh: String,
    pub en: String,
}

/// One cell of a matrix.
#[derive(Debug, Clone)]
pub struct Cell {
    pub level: Level,
    pub cite: Vec<Citation>,
}

/// One basis's matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub basis: Basis,
    pub zh: String,
    pub en: String,
    /// `[object][degree]`
    cells: Vec<Vec<Cell>>,
}

impl Matrix {
    pub fn cell(&self, harm: Harm) -> &Cell {
        &self.cells[harm.object.index()][harm.degree.index()] // ok: 3×3, checked on load
    }
}

/// Both matrices and the consequences of a level.
#[derive(Debug, Clone)]
pub struct Matrices {
    matrices: Vec<Matrix>,
    pub consequences: Vec<Consequence>,
}

impl Matrices {
    /// Parses and checks a matrices file: both bases, each with all nine cells once.
    pub fn parse(text: &str) -> Result<Matrices, MatrixError> {
        let raw: RawFile = toml::from_str(text)?;
        let mut matrices = Vec::new();
        for b in Basis::ALL {
            let mut found = raw.basis.iter().filter(|r| r.id == b);
            let rb = found
                .next()
                .ok_or_else(|| MatrixError::MissingBasis(b.id().into()))?;
            if found.next().is_some() {
                return Err(MatrixError::DuplicateBasis(b.id().into()));
            }
            let mut cells = Vec::with_capacity(3);
            for object in Object::ALL {
                let mut row = Vec::with_capacity(3);
                for degree in Degree::ALL {
                    let ctx = || {
                        (
                            b.id().to_string(),
                            object.id().to_string(),
                            degree.id().to_string(),
                        )
                    };
                    let mut hits = rb
                        .cell
                        .iter()
                        .filter(|c| c.object == object && c.degree == degree);
                    let c = hits.next().ok_or_else(|| {
                        let (basis, object, degree) = ctx();
                        MatrixError::MissingCell {
                            basis,
                            object,
                            degree,
                        }
                    })?;
                    if hits.next().is_some() {
                        let (basis, object, degree) = ctx();
                        return Err(MatrixError::DuplicateCell {
                            basis,
                            object,
                            degree,
                        });
                    }
                    if c.cite.is_empty() {
                        let (basis, object, degree) = ctx();
                        return Err(MatrixError::NoCitation {
                            basis,
                            object,
                            degree,
                        });
                    }
                    row.push(Cell {
                        level: c.level,
                        cite: c.cite.clone(),
                    });
                }
                cells.push(row);
            }
            matrices.push(Matrix {
                basis: b,
                zh: rb.zh.clone(),
                en: rb.en.clone(),
                cells,
            });
        }
        Ok(Matrices {
            matrices,
            consequences: raw.consequence,
        })
    }

    /// The matrix of one basis.
    pub fn matrix(&self, basis: Basis) -> &Matrix {
        // ok: `parse` pushes one matrix per `Basis::ALL` entry, in that order.
        &self.matrices[Basis::ALL.iter().position(|b| *b == basis).unwrap_or(0)]
    }
}
