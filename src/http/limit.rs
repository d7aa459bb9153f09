//! The per-address rate limit of the public registration endpoints.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::AppState;
use super::error::ApiError;

/// Requests a minute per client address, with the whole minute's allowance as burst.
pub type Limiter = Arc<DefaultKeyedRateLimiter<IpAddr>>;

pub fn limiter(per_minute: NonZeroU32) -> Limiter {
    Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)))
}

/// Refuses with 429 when the client's address has used up its allowance.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(limiter) = &state.limiter {
        let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([0, 0, 0, 0]));
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            return ApiError::rate_limited(wait).into_response();
        }
    }
    next.run(req).await
}
