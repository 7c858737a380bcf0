//! `setup/action.yml` (runners without Docker): `setup/install.sh` against a release served on
//! 127.0.0.1 - it picks the asset for RUNNER_OS/RUNNER_ARCH, checks it against SHA256SUMS, puts
//! it on PATH through $GITHUB_PATH and refuses a tampered binary or checksum file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const ASSET_LINUX_X64: &str = "x86_64-unknown-linux-musl";

/// Serves `root` over HTTP/1.0 on 127.0.0.1 (GET and HEAD); `/releases/latest` redirects to
/// `/releases/tag/v<VERSION>` as GitHub does. Returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            let mut parts = request.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
            let head = method == "HEAD";
            let response: Vec<u8> = if path == "/releases/latest" {
                format!("HTTP/1.0 302 Found\r\nLocation: /releases/tag/v{VERSION}\r\nContent-Length: 0\r\n\r\n")
                    .into_bytes()
            } else if path.starts_with("/releases/tag/") {
                b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec()
            } else {
                let file = root.join(path.trim_start_matches('/'));
                match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let mut r = format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
                        if !head {
                            r.extend(body);
                        }
                        r
                    }
                    _ => b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_vec(),
                }
            };
            let _ = stream.write_all(&response);
        }
    });
    base
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().expect("sha256sum");
    String::from_utf8(out.stdout).unwrap().split_whitespace().next().unwrap().to_string()
}

struct Release {
    _dir: tempfile::TempDir,
    root: PathBuf,
    base_url: String,
}

impl Release {
    /// A release v<VERSION> holding this build's binary as the Linux x86_64 asset, and SHA256SUMS.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("www");
        let tag = root.join(format!("releases/download/v{VERSION}"));
        std::fs::create_dir_all(&tag).unwrap();
        let asset = format!("confluence-weekly-{VERSION}-{ASSET_LINUX_X64}");
        std::fs::copy(env!("CARGO_BIN_EXE_confluence-weekly"), tag.join(&asset)).unwrap();
        let sums = format!(
            "{}  {asset}\n{}  confluence-weekly-{VERSION}-aarch64-unknown-linux-musl\n",
            sha256(&tag.join(&asset)),
            "0".repeat(64)
        );
        std::fs::write(tag.join("SHA256SUMS"), sums).unwrap();
        let base_url = format!("{}/releases/download", serve(root.clone()));
        Self { _dir: dir, root, base_url }
    }

    fn tag_dir(&self) -> PathBuf {
        self.root.join(format!("releases/download/v{VERSION}"))
    }

    /// Runs setup/install.sh as the composite action does, on a "Linux X64 runner".
    fn install(&self, version: &str, arch: &str) -> (Output, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let runner = dir.path();
        std::fs::create_dir_all(runner.join("temp")).unwrap();
        let out = Command::new("bash")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/setup/install.sh"))
            .env("CW_VERSION", version)
            .env("CW_BASE_URL", &self.base_url)
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", runner.join("temp"))
            .env("RUNNER_TOOL_CACHE", runner.join("tool-cache"))
            .env("GITHUB_PATH", runner.join("github_path"))
            .env("GITHUB_OUTPUT", runner.join("github_output"))
            .env_remove("CW_INSTALL_DIR")
            .output()
            .expect("run setup/install.sh");
        (out, dir)
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn installed_and_runs(out: &Output, runner: &Path) {
    assert!(out.status.success(), "install failed:\n{}", text(out));
    let path = std::fs::read_to_string(runner.join("github_path")).unwrap();
    let dir = PathBuf::from(path.trim_end());
    assert_eq!(dir, runner.join(format!("tool-cache/confluence-weekly/{VERSION}/{ASSET_LINUX_X64}")));
    let version = Command::new(dir.join("confluence-weekly")).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(VERSION));
    let outputs = std::fs::read_to_string(runner.join("github_output")).unwrap();
    assert!(outputs.contains(&format!("version={VERSION}\n")), "{outputs}");
    assert!(outputs.contains(&format!("path={}\n", dir.display())), "{outputs}");
    assert!(!runner.join("temp").read_dir().unwrap().any(|_| true), "the download directory is left behind");
}

#[test]
fn installs_the_checked_binary_and_puts_it_on_path() {
    let release = Release::new();
    let (out, runner) = release.install(VERSION, "X64");
    installed_and_runs(&out, runner.path());
    assert!(text(&out).contains("matches SHA256SUMS"), "{}", text(&out));
    // vX.Y.Z works as well as X.Y.Z.
    let (out, runner) = release.install(&format!("v{VERSION}"), "X64");
    installed_and_runs(&out, runner.path());
}

#[test]
fn latest_follows_the_releases_redirect() {
    let release = Release::new();
    let (out, runner) = release.install("latest", "X64");
    installed_and_runs(&out, runner.path());
}

#[test]
fn a_tampered_binary_is_refused() {
    let release = Release::new();
    let asset = release.tag_dir().join(format!("confluence-weekly-{VERSION}-{ASSET_LINUX_X64}"));
    let mut bytes = Vec::new();
    std::fs::File::open(&asset).unwrap().read_to_end(&mut bytes).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&asset, bytes).unwrap();
    let (out, runner) = release.install(VERSION, "X64");
    assert!(!out.status.success(), "a tampered binary was installed:\n{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("::error") && said.contains("checksum mismatch for") && said.contains(ASSET_LINUX_X64),
        "{said}"
    );
    assert!(!runner.path().join("github_path").exists(), "PATH was changed");
    assert!(
        !runner
            .path()
            .join("tool-cache")
            .join("confluence-weekly")
            .join(VERSION)
            .join(ASSET_LINUX_X64)
            .join("confluence-weekly")
            .exists()
    );
}

#[test]
fn a_tampered_checksum_file_is_refused() {
    let release = Release::new();
    let sums = release.tag_dir().join("SHA256SUMS");
    let text_sums = std::fs::read_to_string(&sums).unwrap();
    let first = text_sums.chars().next().unwrap();
    let swapped = if first == 'a' { 'b' } else { 'a' };
    std::fs::write(&sums, format!("{swapped}{}", &text_sums[1..])).unwrap();
    let (out, runner) = release.install(VERSION, "X64");
    assert!(!out.status.success());
    assert!(text(&out).contains("checksum mismatch for"), "{}", text(&out));
    assert!(!runner.path().join("github_path").exists());
}

#[test]
fn missing_assets_and_unknown_runners_fail_clearly() {
    let release = Release::new();
    // aarch64's line in SHA256SUMS is there, its binary is not.
    let (out, _) = release.install(VERSION, "ARM64");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("could not download") && text(&out).contains("aarch64-unknown-linux-musl"),
        "{}",
        text(&out)
    );
    let (out, _) = release.install("9.9.9", "X64");
    assert!(!out.status.success() && text(&out).contains("SHA256SUMS"), "{}", text(&out));
    let (out, _) = release.install(VERSION, "ARM");
    assert!(!out.status.success() && text(&out).contains("no release binary for"), "{}", text(&out));
    let (out, _) = release.install("1.2", "X64");
    assert!(!out.status.success() && text(&out).contains("is not X.Y.Z"), "{}", text(&out));
}
