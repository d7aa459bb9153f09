//! The HTTP/1.1 server loop: a cap on connections held at once, a timeout on a request's headers
//! (which also closes idle keep-alive connections), the client's address on every request, and a
//! graceful stop that lets requests in flight finish.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::config::NetworkLimits;

/// Connections kept free of the open-file limit for the database, fonts and logs.
const FILE_RESERVE: u64 = 128;

/// Raises the soft open-file limit to the hard one, and returns how many client connections the
/// process can hold: `wanted`, or fewer when even the raised limit is lower.
pub fn connection_cap(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
                return wanted;
            }
            if lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit { rlim_cur: lim.rlim_max, rlim_max: lim.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = lim.rlim_max;
                }
            }
        }
        let room = lim.rlim_cur.saturating_sub(FILE_RESERVE).max(16);
        wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
    }
    #[cfg(not(unix))]
    wanted
}

/// Makes the allocator give blocks of 1 MiB and more back to the system when they are freed.
/// Each password hash holds 19 MiB; glibc otherwise raises its mmap threshold after the first
/// and keeps such blocks in a per-thread arena, so a login flood over the blocking pool's many
/// threads grew the process by gigabytes though only a few hashes ran at once.
pub fn return_big_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a parameter of the allocator, under its own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Serves `router` on `listener` until `stop` resolves, then waits for the connections' requests
/// in flight (the caller bounds that wait).
pub async fn serve(listener: TcpListener, router: Router, limits: NetworkLimits, stop: impl Future<Output = ()>) {
    let cap = connection_cap(limits.max_connections);
    if cap < limits.max_connections {
        tracing::warn!(wanted = limits.max_connections, cap, "the open-file limit holds fewer connections than max_connections");
    }
    let slots = Arc::new(tokio::sync::Semaphore::new(cap));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: wait a little
                    // instead of spinning, then go on with the clients already connected.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req)
        });
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
