//! The TLS server configuration for RFC 5425 syslog: a PEM certificate chain and key from
//! files, rustls with the `ring` provider, TLS 1.2 and 1.3, no client certificates.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::{Error, Result};

/// Build an acceptor from PEM files (names them in every error).
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| Error::Tls(format!("{}: {e} (证书文件无法读取)", cert.display())))?
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| Error::Tls(format!("{}: {e} (证书不是 PEM)", cert.display())))?;
    if certs.is_empty() {
        return Err(Error::Tls(format!(
            "{}: no CERTIFICATE in the file (文件中没有证书)",
            cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| Error::Tls(format!("{}: {e} (私钥无法读取)", key.display())))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            Error::Tls(format!(
                "certificate and key do not fit: {e} (证书与私钥不匹配)"
            ))
        })?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
