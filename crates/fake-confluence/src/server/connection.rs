//! Accepting connections and serving each on its own task; every request goes to
//! `dispatch::handle`.
//!
//! Connections are served with hyper directly (not `axum::serve`) so that a `Drop` fault can close
//! a connection without any response: each connection task races the hyper connection against a
//! per-connection `Notify`, and dropping the connection future closes the socket.

use std::convert::Infallible;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

use super::dispatch::handle;
use crate::state::Shared;

/// The accept loop; runs until the runtime shuts down.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(serve_connection(stream, shared.clone()));
            }
            // e.g. out of file descriptors: let other tasks run, then try again.
            Err(_) => tokio::task::yield_now().await,
        }
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let kill = Arc::new(Notify::new());
    let service_kill = kill.clone();
    let service = service_fn(move |req: hyper::Request<Incoming>| {
        let shared = shared.clone();
        let kill = service_kill.clone();
        async move { Ok::<_, Infallible>(handle(shared, kill, req).await) }
    });
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        // Errors here are the client's doing (reset, garbage); nothing to report.
        _ = conn => {}
        // A Drop fault: dropping `conn` closes the socket without a response.
        _ = kill.notified() => {}
    }
}
