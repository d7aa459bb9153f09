//! The server loop over real sockets: a client that never finishes its headers is cut off, and
//! meanwhile every other client is served.

use crate::common::TestApp;
use greenlane::config::NetworkLimits;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn get_healthz(addr: std::net::SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_sent_requests_are_cut_off_after_the_header_timeout_while_others_are_served() {
    let t = TestApp::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits =
        NetworkLimits { header_read_timeout: Duration::from_secs(1), body_read_timeout: Duration::from_secs(1), max_connections: 1000 };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(greenlane::http::serve::serve(listener, t.router.clone(), limits, async move {
        let _ = stopped.await;
    }));
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n").await.unwrap();
        slow.push(s);
    }
    // Held open by 200 slow clients, the service still answers a new one.
    assert!(get_healthz(addr).await.starts_with("HTTP/1.1 200"));
    // Each slow client is disconnected by the server (end of stream, or a reset), none answered.
    for mut s in slow {
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(30), s.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "the server holds a half-sent request open past its header timeout");
        assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    }
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), server).await.expect("the server stops").unwrap();
}
