//! One module per resource; each exports `router()` with its documented routes.

pub mod accounts;
pub mod audit;
pub mod duties;
pub mod events;
pub mod evidence;
pub mod law;
pub mod networks;
pub mod system;
