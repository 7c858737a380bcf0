//! Command-line cases as data files (`tests/cmd/*.toml`): arguments, environment, exit code and
//! the exact stderr a user sees. Update them with `TRYCMD=overwrite cargo test --test cli`.
//! Cases a data file cannot hold (bytes that are not UTF-8, a `.env` file) are below.

use std::process::{Command, Output};

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_confluence-weekly"));
    command.env_clear();
    command
}

#[track_caller]
fn assert_config_error(output: Output, stderr: &str) {
    assert_eq!(String::from_utf8_lossy(&output.stderr), stderr);
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_a_configuration_error() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let config = binary().arg("--config").arg(OsStr::from_bytes(b"r\xe9ports.yml")).output().unwrap();
    assert_config_error(
        config,
        "error: --config `r\u{FFFD}ports.yml` is not valid UTF-8; pass the value as UTF-8 text\n",
    );
    let stray = binary().arg("--dry-run").arg(OsStr::from_bytes(b"\xff")).output().unwrap();
    assert_config_error(stray, "error: unknown argument `\u{FFFD}`; see --help\n");
}

#[test]
fn a_broken_env_file_is_named_without_printing_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let env_file = dir.path().join(".env");
    std::fs::write(&env_file, "CONFLUENCE_BASE_URL=https://x.example.com\nCONFLUENCE_TOKEN=\"pat-secret\n").unwrap();
    let output = binary().current_dir(dir.path()).output().unwrap();
    assert_config_error(
        output,
        "error: .env could not be read: the line setting CONFLUENCE_TOKEN cannot be parsed (check its quotes); \
         fix the file or remove it\n",
    );
    std::fs::write(&env_file, "pat-secret\"\n").unwrap();
    let output = binary().current_dir(dir.path()).output().unwrap();
    assert_config_error(
        output,
        "error: .env could not be read: a line cannot be parsed: each line must be NAME=value; fix the file or remove it\n",
    );
}
