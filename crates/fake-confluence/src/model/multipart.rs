//! A small `multipart/form-data` parser (RFC 7578), enough for attachment uploads. Part data are
//! slices of the request body (no copies), so large uploads stay cheap.

use axum::body::Bytes;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Bytes,
}

/// Parses `body` using the boundary from the `Content-Type` header value.
pub(crate) fn parse(content_type: &str, body: &Bytes) -> Result<Vec<Part>, String> {
    let boundary = header_param(content_type, "boundary").ok_or("no boundary")?;
    if boundary.is_empty() {
        return Err("empty boundary".into());
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let next_delimiter = format!("\r\n--{boundary}").into_bytes();

    let mut pos = find(body, &delimiter, 0).ok_or("no opening boundary")? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Ok(parts); // closing delimiter
        }
        // Transport padding, then CRLF.
        while body.get(pos).is_some_and(|b| *b == b' ' || *b == b'\t') {
            pos += 1;
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("malformed boundary line".into());
        }
        pos += 2;
        let headers_end = find(body, b"\r\n\r\n", pos).ok_or("unterminated part headers")?;
        let headers = std::str::from_utf8(&body[pos..headers_end]).map_err(|_| "part headers are not UTF-8")?;
        let data_start = headers_end + 4;
        let data_end = find(body, &next_delimiter, data_start).ok_or("missing closing boundary")?;
        parts.push(part(headers, body.slice(data_start..data_end))?);
        pos = data_end + next_delimiter.len();
    }
}

fn part(headers: &str, data: Bytes) -> Result<Part, String> {
    let mut name = None;
    let mut filename = None;
    let mut filename_star = None;
    let mut content_type = None;
    for line in headers.split("\r\n").filter(|l| !l.is_empty()) {
        let (key, value) = line.split_once(':').ok_or("malformed part header")?;
        let value = value.trim();
        if key.trim().eq_ignore_ascii_case("content-disposition") {
            if !value.to_ascii_lowercase().starts_with("form-data") {
                return Err("part is not form-data".into());
            }
            name = header_param(value, "name");
            filename = header_param(value, "filename");
            filename_star = header_param(value, "filename*").and_then(|v| decode_ext_value(&v));
        } else if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_string());
        }
    }
    Ok(Part { name: name.ok_or("part without a name")?, filename: filename_star.or(filename), content_type, data })
}

/// A parameter of a header value like `form-data; name="file"; filename="a b.png"`.
fn header_param(value: &str, wanted: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = &rest[eq + 1..];
        let (val, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            out.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => out.push(c),
                }
            }
            (out, &quoted[end..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        if key.eq_ignore_ascii_case(wanted) {
            return Some(val);
        }
        rest = remaining;
    }
}

/// RFC 5987 `UTF-8''percent%20encoded`.
fn decode_ext_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_lang, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    Some(percent_encoding::percent_decode_str(encoded).decode_utf8_lossy().into_owned())
}

/// The first position at or after `from` where `needle` starts. Scans for the first byte, then
/// compares, which is quick on attachment data even in unoptimised builds.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, _) = needle.split_first()?;
    let mut pos = from;
    while pos + needle.len() <= haystack.len() {
        let offset = haystack[pos..=haystack.len() - needle.len()].iter().position(|&b| b == first)?;
        pos += offset;
        if &haystack[pos..pos + needle.len()] == needle {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_file_and_fields() {
        let body = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"file\"; filename=\"chart 1.png\"\r\n\
Content-Type: image/png\r\n\
\r\n\
\x89PNG\r\n--not-it\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"minorEdit\"\r\n\
\r\n\
true\r\n\
--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=XyZ", &Bytes::from_static(body)).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].filename.as_deref(), Some("chart 1.png"));
        assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(&parts[0].data[..], b"\x89PNG\r\n--not-it");
        assert_eq!(parts[1].name, "minorEdit");
        assert_eq!(&parts[1].data[..], b"true");
    }

    #[test]
    fn quoted_boundary_and_extended_filename() {
        let body = "--a b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"; filename*=UTF-8''%EC%A3%BC.txt\r\n\r\nhi\r\n--a b--";
        let parts = parse("multipart/form-data; boundary=\"a b\"", &Bytes::from_static(body.as_bytes())).unwrap();
        assert_eq!(parts[0].filename.as_deref(), Some("주.txt"));
        assert_eq!(&parts[0].data[..], b"hi");
    }

    #[test]
    fn rejects_garbage() {
        let parse = |ct: &str, body: &'static [u8]| parse(ct, &Bytes::from_static(body));
        assert!(parse("multipart/form-data", b"x").is_err());
        assert!(parse("multipart/form-data; boundary=q", b"no boundary here").is_err());
        assert!(
            parse(
                "multipart/form-data; boundary=q",
                b"--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"
            )
            .is_err()
        );
    }
}
