//! Confluence Cloud's API as its 2026 descriptions publish it (`tests/data/cloud-operations.txt`,
//! derived from `../shared/reference/confluence-cloud-v{1,2}.openapi.json`; `scopes.rs` checks the
//! two agree), and the v1 operations Atlassian removed (CHANGE-864), which answer 410 Gone on the
//! gateway: what every request the tool sends to Cloud must conform to.

use fake_confluence::Request;

/// The committed operation list.
pub const OPERATIONS: &str = include_str!("../../data/cloud-operations.txt");

/// One operation of a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// `v1` or `v2`.
    pub api: String,
    pub method: String,
    /// Below the site's `/wiki`, as the description names its parameters: `/api/v2/pages/{id}`,
    /// `/rest/api/content/{id}/label`.
    pub path: String,
    /// The query parameters it declares.
    pub query: Vec<String>,
    /// The OAuth scopes its `security` names (granular on v2, classic on v1).
    pub scopes: Vec<String>,
}

impl Operation {
    /// `api METHOD path query,… scope,…` (`-` for an empty list): a line of the operation list.
    pub fn line(&self) -> String {
        let list = |items: &[String]| if items.is_empty() { "-".to_owned() } else { items.join(",") };
        format!("{} {} {} {} {}", self.api, self.method, self.path, list(&self.query), list(&self.scopes))
    }

    fn parse(line: &str) -> Operation {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 5, "cloud-operations.txt: five fields: {line}");
        let list = |f: &str| if f == "-" { Vec::new() } else { f.split(',').map(str::to_owned).collect() };
        Operation {
            api: fields[0].to_owned(),
            method: fields[1].to_owned(),
            path: fields[2].to_owned(),
            query: list(fields[3]),
            scopes: list(fields[4]),
        }
    }

    /// Whether `path` (below `/wiki`) is an instance of this operation's path.
    fn matches(&self, method: &str, path: &str) -> bool {
        let (mine, theirs): (Vec<&str>, Vec<&str>) = (self.path.split('/').collect(), path.split('/').collect());
        self.method == method
            && mine.len() == theirs.len()
            && mine.iter().zip(&theirs).all(|(m, t)| m == t || (m.starts_with('{') && !t.is_empty()))
    }

    fn literal_segments(&self) -> usize {
        self.path.split('/').filter(|s| !s.starts_with('{')).count()
    }
}

/// Every operation of the committed list.
pub fn operations() -> Vec<Operation> {
    OPERATIONS.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(Operation::parse).collect()
}

/// The operation a request is an instance of (a literal segment beats a parameter: `/content/search`
/// is not `/content/{id}`), or `None` when the descriptions have none.
pub fn operation_of<'a>(ops: &'a [Operation], method: &str, path: &str) -> Option<&'a Operation> {
    ops.iter().filter(|op| op.matches(method, path)).max_by_key(|op| op.literal_segments())
}

/// The request's path below the site's `/wiki` (also behind the gateway,
/// `/ex/confluence/<cloudId>/wiki`), or `None` for a request that is not the tool's own: Cloud
/// answers an attachment download with a redirect to its media service.
pub fn below_wiki(path: &str) -> Option<&str> {
    if path.starts_with("/media/") {
        return None;
    }
    let site = match path.strip_prefix("/ex/confluence/") {
        Some(gateway) => gateway.split_once('/').map_or("", |(_cloud_id, site)| site),
        None => path.strip_prefix('/').unwrap_or(path),
    };
    Some(site.strip_prefix("wiki").unwrap_or(path))
}

/// The v1 operations Atlassian removed in favour of v2 (CHANGE-864; 410 Gone on the gateway since
/// August 2026): content get, create, list, update and delete (child listings too), label reads,
/// content property reads and writes, the attachment listing, spaces. `path` is the operation's.
pub fn removed_v1(method: &str, path: &str) -> bool {
    let content = path.strip_prefix("/rest/api/content");
    match (method, content) {
        (_, Some("" | "/{id}")) => true,
        ("GET", Some("/{id}/child" | "/{id}/child/{type}" | "/{id}/child/attachment" | "/{id}/label")) => true,
        (_, Some(rest)) => rest.starts_with("/{id}/property"),
        (_, None) => path.starts_with("/rest/api/space"),
    }
}

/// What is wrong with each request that does not conform to the 2026 descriptions: not an
/// operation of them, a removed v1 operation, or a query parameter the operation does not declare.
pub fn nonconforming(requests: &[Request]) -> Vec<String> {
    let ops = operations();
    let mut wrong = Vec::new();
    for r in requests {
        let Some(path) = below_wiki(&r.path) else { continue };
        let shown = format!("{} {}?{}", r.method, r.path, r.query);
        let Some(op) = operation_of(&ops, &r.method, path) else {
            wrong.push(format!("{shown}: no such operation in the 2026 descriptions"));
            continue;
        };
        if op.api == "v1" && removed_v1(&op.method, &op.path) {
            wrong.push(format!("{shown}: {} {} is a v1 operation Atlassian removed (410 Gone)", op.method, op.path));
        }
        let names = r.query.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').map_or(p, |(k, _)| k));
        for name in names {
            if !op.query.iter().any(|q| q == name) {
                wrong.push(format!("{shown}: `{name}` is no query parameter of {} {}", op.method, op.path));
            }
        }
    }
    wrong
}
