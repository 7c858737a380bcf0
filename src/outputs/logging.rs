//! Log lines on stderr: `text` or `json` (`LOG_FORMAT`).

/// `LOG_FORMAT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    /// One JSON object per line.
    Json,
}

/// Sets up logging on stderr: `text` or `json`, level from `RUST_LOG` (default `info`).
/// HTTP crates are capped at `warn`: their debug output includes request URLs, and webhook
/// URLs are secrets.
pub fn init_logging(format: LogFormat, rust_log: Option<&str>) {
    use tracing_subscriber::EnvFilter;
    let directives = format!(
        "{},hyper=warn,hyper_util=warn,reqwest=warn,rustls=warn,h2=warn",
        rust_log.filter(|s| !s.is_empty()).unwrap_or("info")
    );
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(filter).with_target(false);
    match format {
        LogFormat::Text => builder.without_time().with_ansi(false).init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}
