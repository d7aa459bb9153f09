//! Who the client is (its address, read through trusted proxies) and the allowance of public
//! registrations per address, counted in the database so it holds across instances.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::ApiError;
use crate::config::Network;

/// The client's address: the peer's, or — when the peer is a trusted proxy — the last address in
/// `X-Forwarded-For` that is not one of our proxies.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(client_of(parts, &state.app.config.trusted_proxies)))
    }
}

fn client_of(parts: &Parts, trusted: &[Network]) -> IpAddr {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip().to_canonical());
    let is_proxy = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_proxy(peer) {
        return peer;
    }
    // Each proxy appends the address it heard from: read from the right, past our own proxies.
    let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
    let hops: Vec<IpAddr> = forwarded.filter_map(|h| h.trim().parse::<IpAddr>().ok()).map(|ip| ip.to_canonical()).collect();
    hops.into_iter().rev().find(|ip| !is_proxy(*ip)).unwrap_or(peer)
}

/// Refuses with 429 when the client's address has used up its registrations for the minute.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(per_minute) = state.app.config.rate_limit_per_minute {
        let (parts, body) = req.into_parts();
        let from = client_of(&parts, &state.app.config.trusted_proxies);
        if let Err(e) = crate::app::throttle::allow_registration(&state.app, from, per_minute.get()).await {
            return ApiError::from(e).into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut req = axum::http::Request::builder().uri("/");
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-for", f);
        }
        let (mut parts, ()) = req.body(()).unwrap().into_parts();
        parts.extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        parts
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let trusted = [Network::parse("10.0.0.0/8").unwrap()];
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client_of(&parts("10.1.2.3:5000", Some("203.0.113.7")), &trusted), ip("203.0.113.7"));
        // A client cannot pick its own address by sending the header straight to us.
        assert_eq!(client_of(&parts("198.51.100.9:5000", Some("203.0.113.7")), &trusted), ip("198.51.100.9"));
        // What the client wrote left of our proxy's entry is not believed either.
        assert_eq!(client_of(&parts("10.1.2.3:5000", Some("1.1.1.1, 203.0.113.7, 10.9.9.9")), &trusted), ip("203.0.113.7"));
        assert_eq!(client_of(&parts("10.1.2.3:5000", None), &trusted), ip("10.1.2.3"));
    }
}
