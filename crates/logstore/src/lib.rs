//! The log centre: ingest, durable storage, tamper evidence, retention floor, search and proof of retention for network logs.
