//! Cloud's attachment downloads: the web path and the REST route answer 302 to a same-origin
//! stand-in for the media service, `/media/file/{id}/binary?token=…`, which serves the bytes
//! without Confluence credentials.

use axum::http::{HeaderValue, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::model::Req;
use crate::model::util::{self, encode_segment};
use crate::routes::attachments;
use crate::state::{AttachmentRec, Shared};

fn media_token(att_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("fake-media-token:{att_id}"))
}

/// Like Cloud's attachment downloads (web path and REST route): a 302 to the media service.
pub(crate) fn media_redirect(sh: &Shared, att: &AttachmentRec) -> Response {
    let location = format!(
        "{}/media/file/{}/binary?token={}&client=fake-confluence&name={}&dl=true",
        sh.cfg.origin,
        att.id,
        media_token(&att.id),
        encode_segment(&att.filename),
    );
    let mut resp = util::text(302, "");
    if let Ok(value) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp
}

/// `GET /media/file/{id}/binary?token=…` (outside `/wiki`, no Confluence auth).
pub(crate) fn media(sh: &Shared, req: &Req, att_id: &str) -> Response {
    if req.param("token") != Some(media_token(att_id).as_str()) {
        return util::json(401, &json!({"error": "unauthorized", "message": "Invalid or missing token"}));
    }
    let st = sh.lock();
    match st.attachment(att_id) {
        Some((_, att)) => attachments::bytes_response(att),
        None => util::text(404, "Not Found"),
    }
}
