//! The one HTTP client setup: claimpack's user agent, rustls with the ring provider,
//! and timeouts every caller must choose. Used by `capture` (pages) and `package`
//! (time-stamping authorities).

use std::time::Duration;

/// How long a client may wait.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

/// Whether the client follows redirects itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirects {
    /// Redirects are answers: the caller records each hop and decides.
    Return,
    /// reqwest's default policy (up to 10 hops).
    Follow,
}

/// Whether responses keep the server's TLS certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certificates {
    /// Kept, for the capture record.
    Keep,
    Ignore,
}

/// `claimpack/0.1.0 (evidence capture; +https://…)`.
pub fn user_agent() -> String {
    format!(
        "claimpack/{} (evidence capture; +{})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// A blocking client.
pub fn client(
    timeouts: Timeouts,
    redirects: Redirects,
    certificates: Certificates,
) -> Result<reqwest::blocking::Client, reqwest::Error> {
    // One process-wide crypto provider; a second install is a harmless no-op.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::blocking::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.total)
        .user_agent(user_agent())
        .tls_info(certificates == Certificates::Keep);
    if redirects == Redirects::Return {
        builder = builder.redirect(reqwest::redirect::Policy::none());
    }
    builder.build()
}

/// An error and all its causes on one line: reqwest's own message alone ("error
/// sending request") hides the reason.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}
