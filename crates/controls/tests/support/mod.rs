//! Test support shared by the OSCAL tests (the server's tests include it by path).
pub mod schema;
