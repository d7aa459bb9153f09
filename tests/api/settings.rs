//! The settings that drive the documents, set on the administrator's page: the address and
//! telephone every instance prints from then on, and the seal image placed over the dates.

use crate::common::{TestApp, form, session_as};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenlane::app::accounts::Role;
use serde_json::json;

on_both_backends!(the_address_phone_and_seal_set_by_the_administrator_go_into_what_is_issued_next);

/// A PNG of red pixels, `w` × `h`, half transparent.
fn red_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    let mut writer = e.write_header().unwrap();
    writer.write_image_data(&[200, 20, 20, 128].repeat((w * h) as usize)).unwrap();
    writer.finish().unwrap();
    out
}

fn seal_upload(cookies: &str, csrf: &str, png: &[u8]) -> Request<Body> {
    let boundary = "seal-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"seal\"; filename=\"seal.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend(png);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/staff/admin/seal")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", cookies)
        .body(Body::from(body))
        .unwrap()
}

/// How many images `pdfimages -list` finds in a PDF.
fn images_in(pdf: &[u8]) -> usize {
    let listed = crate::documents::tool("pdfimages", &["-list"], pdf);
    listed.lines().skip(2).filter(|l| !l.trim().is_empty()).count()
}

async fn the_address_phone_and_seal_set_by_the_administrator_go_into_what_is_issued_next(t: TestApp) {
    let (cookies, token) = session_as(&t, "admin.settings", Role::Admin, None).await;
    let clerk = t.token(Role::Clerk).await;
    let post = |path: &str, pairs: &[(&str, &str)]| {
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(pairs);
        form(path, &cookies, serde_urlencoded::to_string(all).unwrap())
    };
    // A blank address is refused naming it, and nothing is stored.
    let blank = t.request(post("/staff/admin/contact", &[("address", " "), ("phone", "0760-88888888")])).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text.contains("仲裁委员会地址"), "{}", blank.text);
    assert_eq!(t.count("commission_settings").await, 0);
    let saved = t.request(post("/staff/admin/contact", &[("address", "中山市石岐区莲员东路2号"), ("phone", "0760-88888888")])).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
    // Another instance of the service reads the same settings.
    let other = t.another_instance().await;
    let home = other.request(Request::get("/").body(Body::empty()).unwrap()).await;
    assert!(home.text.contains("中山市石岐区莲员东路2号") && home.text.contains("0760-88888888"), "{}", home.text);

    // A file that is not a seal PNG is refused with the reason; a PNG is kept.
    let refused = t.request(seal_upload(&cookies, &token, b"GIF89a not a png")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("PNG"), "{}", refused.text);
    let before = crate::documents::accepted_notice_pdf(&t, &clerk).await;
    assert_eq!(images_in(&before), 0, "without a seal image the seal's place is only marked");
    let kept = t.request(seal_upload(&cookies, &token, &red_png(60, 60))).await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.text);
    let page = t.request(Request::get("/staff/admin").header("cookie", &cookies).body(Body::empty()).unwrap()).await;
    assert!(page.text.contains(r#"src="/staff/admin/seal.png""#), "the admin page shows the seal");

    // Documents issued from now on carry the seal image and print the new address.
    let after = crate::documents::accepted_notice_pdf(&t, &clerk).await;
    assert!(images_in(&after) >= 1, "the seal image is in the notice");
    let room = t.call("POST", "/api/v1/rooms", Some(&clerk), Some(json!({"name": "第一审理庭", "seats": 8}))).await.body["id"].clone();
    let arb =
        t.call("POST", "/api/v1/arbitrators", Some(&clerk), Some(json!({"name": "王立明", "presides": true}))).await.body["id"].clone();
    let case = t.accepted_case(&clerk).await;
    let hearing = json!({"day": "2026-12-02", "start": "09:00", "room_id": room, "arbitrator_ids": [arb]});
    assert_eq!(t.call("PUT", &format!("/api/v1/cases/{case}/hearing"), Some(&clerk), Some(hearing)).await.status, StatusCode::OK);
    t.drain_jobs().await;
    let docs = t.call("GET", &format!("/api/v1/cases/{case}/documents"), Some(&clerk), None).await.body;
    let notice = docs.as_array().unwrap().iter().find(|d| d["kind"] == "hearing_notice").expect("a hearing notice")["id"].clone();
    let pdf = crate::documents::body_bytes(&t, &clerk, &format!("/api/v1/documents/{notice}")).await;
    let text = crate::documents::flat(&crate::documents::tool("pdftotext", &["-enc", "UTF-8"], &pdf));
    assert!(text.contains("中山市石岐区莲员东路2号第一审理庭"), "{text}");
}
