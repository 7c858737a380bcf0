//! Command-line cases as data files (`tests/cmd/*.toml`): arguments, environment, exit code and
//! the exact stderr a user sees. Update them with `TRYCMD=overwrite cargo test --test cli`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
