//! Attachments: v1 list, upload (multipart, XSRF header), find for downloads (both flavours; on
//! Cloud the v1 listing is a removed operation) and the v2 listing
//! `GET /wiki/api/v2/pages/{id}/attachments` (Cloud).

use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use crate::model::util::{self, encode_segment};
use crate::model::{Flavor, Req, multipart};
use crate::routes::v1::{Window, error, list, method_not_allowed, no_content, unsupported_media_type, viewer};
use crate::routes::v2;
use crate::state::{AttachError, AttachmentRec, PageRec, Shared, State};

pub(crate) fn download_link(page: &PageRec, att: &AttachmentRec) -> String {
    format!(
        "/download/attachments/{}/{}?version=1&modificationDate={}&api=v2",
        page.id,
        encode_segment(&att.filename),
        att.created_ms
    )
}

pub(crate) fn attachment_json(sh: &Shared, page: &PageRec, att: &AttachmentRec) -> Value {
    let preview = encode_segment(&format!("/{}/{}/{}", page.id, att.id, att.filename));
    let mut metadata = json!({
        "mediaType": att.media_type,
        "_expandable": {"currentUser": "", "properties": "", "frontend": "", "editorHtml": "", "labels": ""},
    });
    if !att.comment.is_empty() {
        metadata["comment"] = json!(att.comment);
    }
    json!({
        "id": att.v1_id(),
        "type": "attachment",
        "status": "current",
        "title": att.filename,
        "metadata": metadata,
        "extensions": {
            "mediaType": att.media_type,
            "fileSize": att.data.len(),
            "comment": att.comment,
        },
        "_links": {
            "webui": format!("/pages/viewpageattachments.action?pageId={}&preview={preview}", page.id),
            "download": download_link(page, att),
            "self": format!("{}/rest/api/content/{}", sh.cfg.base(), att.v1_id()),
        },
        "_expandable": {
            "container": format!("/rest/api/content/{}", page.id),
            "operations": "",
            "children": format!("/rest/api/content/{}/child", att.v1_id()),
            "history": format!("/rest/api/content/{}/history", att.v1_id()),
            "ancestors": "",
            "body": "",
            "version": "",
            "descendants": format!("/rest/api/content/{}/descendant", att.v1_id()),
            "space": format!("/rest/api/space/{}", page.space_key),
        },
    })
}

/// `GET|POST /rest/api/content/{id}/child/attachment`
pub(crate) fn attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    match req.method.as_str() {
        "GET" => get_attachments(sh, req, page_id),
        "POST" => post_attachments(sh, req, page_id),
        _ => method_not_allowed(),
    }
}

fn get_attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    let window = match Window::from(req, 25, 200) {
        Ok(w) => w,
        Err(message) => return error(400, &message),
    };
    let st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return no_content(page_id);
    };
    let filename = req.param("filename").filter(|v| !v.is_empty());
    let media_type = req.param("mediaType").filter(|v| !v.is_empty());
    let all: Vec<Value> = page
        .attachments
        .iter()
        .filter(|a| filename.is_none_or(|f| a.filename == f))
        .filter(|a| media_type.is_none_or(|m| a.media_type == m))
        .map(|a| attachment_json(sh, page, a))
        .collect();
    let (results, more) = window.slice(&all);
    util::json(200, &list(sh, req, results.to_vec(), window, more))
}

/// Confluence's XSRF protection for form posts: `X-Atlassian-Token: no-check` must be present.
fn xsrf_ok(req: &Req) -> bool {
    util::header_str(&req.headers, "x-atlassian-token")
        .is_some_and(|v| v.eq_ignore_ascii_case("no-check") || v.eq_ignore_ascii_case("nocheck"))
}

fn post_attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !xsrf_ok(req) {
        return util::text(403, "XSRF check failed");
    }
    if !util::has_content_type(&req.headers, "multipart/form-data") {
        return unsupported_media_type();
    }
    let content_type = util::header_str(&req.headers, header::CONTENT_TYPE.as_str()).unwrap_or("");
    let parts = match multipart::parse(content_type, &req.body) {
        Ok(parts) => parts,
        Err(e) => return error(400, &format!("Could not parse the multipart request: {e}")),
    };
    let files: Vec<_> = parts.iter().filter(|p| p.name == "file" && p.filename.is_some()).collect();
    if files.is_empty() {
        return error(400, "At least one file must be supplied in the 'file' part");
    }
    if sh.cfg.flavor == Flavor::Cloud && !parts.iter().any(|p| p.name == "minorEdit") {
        // Cloud's v1 API requires it (see the OpenAPI description); Data Center does not.
        return error(400, "minorEdit is required");
    }
    let comments: Vec<String> =
        parts.iter().filter(|p| p.name == "comment").map(|p| String::from_utf8_lossy(&p.data).into_owned()).collect();
    if !comments.is_empty() && comments.len() != files.len() {
        return error(400, "Every file must have a comment, or none may");
    }

    let mut st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return no_content(page_id);
    };
    // All or nothing: check every name (against the page and within this request) first.
    for (i, file) in files.iter().enumerate() {
        let name = file.filename.as_deref().unwrap_or_default();
        let clash_earlier = files[..i].iter().any(|f| f.filename.as_deref() == Some(name));
        if clash_earlier || page.attachments.iter().any(|a| a.filename == name) {
            return duplicate_attachment(name);
        }
    }
    let mut created = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let media_type = file.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_string());
        let comment = comments.get(i).map(String::as_str).unwrap_or("");
        match st.add_attachment(
            page_id,
            file.filename.as_deref().unwrap_or_default(),
            &media_type,
            file.data.clone(),
            comment,
        ) {
            Ok(att) => created.push(att),
            Err(AttachError::NoPage) => return no_content(page_id),
            Err(AttachError::DuplicateFilename(name)) => return duplicate_attachment(&name),
        }
    }
    let page = st.page(page_id).expect("checked above");
    let results: Vec<Value> = created.iter().map(|a| attachment_json(sh, page, a)).collect();
    util::json(
        200,
        &json!({
            "results": results,
            "size": results.len(),
            "_links": {"base": sh.cfg.base(), "context": sh.cfg.context()},
        }),
    )
}

fn duplicate_attachment(filename: &str) -> Response {
    error(400, &format!("Cannot add a new attachment with same file name as an existing attachment: {filename}"))
}

/// Finds an attachment by page id and file name (for `/download/attachments/{pageId}/{filename}`).
pub(crate) fn find_download(sh: &Shared, req: &Req, page_id: &str, filename: &str) -> Option<AttachmentRec> {
    let st = sh.lock();
    let page = st.visible_page(page_id, viewer(req))?;
    page.attachments.iter().find(|a| a.filename == filename).cloned()
}

/// Finds an attachment by page id and attachment id (`att123` or `123`), for
/// `/rest/api/content/{id}/child/attachment/{attachmentId}/download`; the error is the id to
/// answer 404 ([`no_content`]) for.
pub(crate) fn find_attachment(sh: &Shared, req: &Req, page_id: &str, att_id: &str) -> Result<AttachmentRec, String> {
    let st = sh.lock();
    let page = st.visible_page(page_id, viewer(req)).ok_or_else(|| page_id.to_string())?;
    let numeric = att_id.strip_prefix("att").unwrap_or(att_id);
    page.attachments.iter().find(|a| a.id == numeric).cloned().ok_or_else(|| att_id.to_string())
}

/// The bytes of an attachment with its content type (shared, not copied).
pub(crate) fn bytes_response(att: &AttachmentRec) -> Response {
    util::response(200, &att.media_type, att.data.clone())
}

/// An attachment in v2 `AttachmentBulk` shape; `downloadLink` and `webuiLink` are relative to
/// `_links.base`, as Cloud sends them.
fn v2_attachment_json(st: &State, page: &PageRec, att: &AttachmentRec) -> Value {
    let created = util::iso8601(att.created_ms);
    let webui = format!(
        "/pages/viewpageattachments.action?pageId={}&preview={}",
        page.id,
        encode_segment(&format!("/{}/{}/{}", page.id, att.id, att.filename))
    );
    let download = download_link(page, att);
    json!({
        "id": att.v1_id(),
        "status": "current",
        "title": att.filename,
        "createdAt": created,
        "pageId": page.id,
        "mediaType": att.media_type,
        "mediaTypeDescription": att.media_type,
        "comment": att.comment,
        "fileId": format!("fake-file-{}", att.id),
        "fileSize": att.data.len(),
        "webuiLink": webui,
        "downloadLink": download,
        "version": {"createdAt": created, "message": "", "number": 1, "minorEdit": false, "authorId": st.dir.me},
        "_links": {"webui": webui, "download": download},
    })
}

/// `GET /wiki/api/v2/pages/{id}/attachments?filename=&mediaType=&limit=&cursor=` (Cloud; default
/// limit 50).
pub(crate) fn v2_attachments(sh: &Shared, req: &Req, page_id: &str) -> Response {
    if !v2::is_id(page_id) {
        return v2::invalid_parameter("id", page_id);
    }
    let (limit, offset) = match v2::paging_with_default(req, 50) {
        Ok(p) => p,
        Err(title) => return v2::bad_paging(&title),
    };
    let st = sh.lock();
    let Some(page) = st.visible_page(page_id, viewer(req)) else {
        return v2::not_found();
    };
    let filename = req.param("filename").filter(|v| !v.is_empty());
    let media_type = req.param("mediaType").filter(|v| !v.is_empty());
    let statuses = util::param_list(&req.query, "status");
    let atts: Vec<&AttachmentRec> = page
        .attachments
        .iter()
        .filter(|a| filename.is_none_or(|f| a.filename == f))
        .filter(|a| media_type.is_none_or(|m| a.media_type == m))
        .filter(|_| statuses.is_empty() || statuses.iter().any(|s| s == "current"))
        .collect();
    v2::list(sh, req, &atts, limit, offset, |a| v2_attachment_json(&st, page, a))
}
