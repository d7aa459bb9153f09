//! The error answers every operation can give, added to the OpenAPI document by rule so the
//! document tells the truth without each handler repeating them: the envelope of `error.rs` for
//! 400 (a body or query that does not parse), 401/403 (staff operations), 404 (a path naming
//! something), 409 (a change refused by the state of things), 413 (a body over the limit), 422 (a
//! field breaking a rule), 429 (throttled logins, registrations and access codes), 500 and 503.

use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// Operations anyone may call without signing in.
const PUBLIC: [&str; 7] = [
    "/healthz",
    "/api/openapi.json",
    "/api/v1/login",
    "/api/v1/cases",
    "/api/v1/cases/{id}",
    "/api/v1/arbitrators/{id}/calendar.ics",
    "/api/v1/rooms/{id}/calendar.ics",
];

/// Operations behind a throttle or an allowance.
const THROTTLED: [&str; 5] =
    ["/api/v1/login", "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/documents", "/api/v1/documents/{id}"];

pub struct ErrorStatuses;

impl utoipa::Modify for ErrorStatuses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for method in [HttpMethod::Get, HttpMethod::Post, HttpMethod::Put, HttpMethod::Delete] {
                let op = match method {
                    HttpMethod::Get => item.get.as_mut(),
                    HttpMethod::Post => item.post.as_mut(),
                    HttpMethod::Put => item.put.as_mut(),
                    _ => item.delete.as_mut(),
                };
                if let Some(op) = op {
                    add_statuses(path, &method, op);
                }
            }
        }
    }
}

fn add_statuses(path: &str, method: &HttpMethod, op: &mut Operation) {
    let mut codes: Vec<(&str, &str)> = vec![("500", "服务器内部错误"), ("503", "数据库暂时无法连接（带 Retry-After）")];
    let writes = matches!(method, HttpMethod::Post | HttpMethod::Put | HttpMethod::Delete);
    if path == "/healthz" || path == "/api/openapi.json" {
        return;
    }
    // A request may always be malformed or break a field's rule (a query, a path id, a body).
    codes.extend([("400", "请求无法解析"), ("422", "字段不符合规则，逐项说明")]);
    if !PUBLIC.contains(&path) || (path == "/api/v1/cases" && matches!(method, HttpMethod::Get)) {
        codes.extend([("401", "未登录或登录已过期"), ("403", "没有权限")]);
    }
    if path == "/api/v1/logout" || path == "/api/v1/cases/{id}" {
        codes.push(("401", "未登录或登录已过期"));
    }
    if path.contains('{') {
        codes.push(("404", "不存在"));
    }
    if writes {
        codes.extend([("409", "当前状态下不能办理"), ("413", "请求体过大"), ("415", "请求体格式不受支持")]);
    }
    if THROTTLED.contains(&path) {
        codes.push(("429", "尝试过多，稍后再试（带 Retry-After）"));
    }
    for (code, description) in codes {
        op.responses.responses.entry(code.to_string()).or_insert_with(|| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build())
                    .build(),
            )
        });
    }
}
