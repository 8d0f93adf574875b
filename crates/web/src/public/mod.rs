//! The public pages (trang công khai, `/cong-khai`): what citizens read without signing in,
//! cached for everyone, and the Atom feed of what the standing office published. The content
//! comes from `cchc_app::public`; the office's publish buttons post to the routes here.

pub mod feed;
pub mod pages;
pub mod routes;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Whether a path is one of the public pages, which set no cookie.
pub fn is_public(path: &str) -> bool {
    path == "/cong-khai" || path.starts_with("/cong-khai/")
}

/// How long a browser or a shared cache may keep a public response.
pub const CACHE_CONTROL: &str = "public, max-age=300";

/// A public response: `Cache-Control: public, max-age=300` and an ETag of the bytes, or a 304
/// when the request's `If-None-Match` names that ETag. The content is the same for everyone
/// (no account, no cookie), so a shared cache may keep it.
pub fn cached(
    request: &HeaderMap,
    content_type: &str,
    extra: Option<(header::HeaderName, String)>,
    bytes: Vec<u8>,
) -> Response {
    let digest = Sha256::digest(&bytes);
    let tag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag}\"");
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == etag || v == "*");
    let mut res = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = bytes.into_response();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        if let Some((name, value)) = extra {
            if let Ok(v) = HeaderValue::from_str(&value) {
                r.headers_mut().insert(name, v);
            }
        }
        r
    };
    let h = res.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    res
}
