//! The rules as written: `FROM -> TO` carry lines, clear names, the task mode. Parsing them is
//! config validation's job too, so errors are typed and say what to write instead.

use std::fmt;
use std::str::FromStr;

use super::names::normalize;

/// A rule that does not parse. The config layer adds which input it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("carry rule `{line}` has no `->`; write `FROM -> TO`, e.g. `Next week -> This week`")]
    NoArrow { line: String },
    #[error("carry rule `{line}` has more than one `->`; write one rule a line, `FROM -> TO`")]
    ManyArrows { line: String },
    #[error(
        "carry rule `{line}` names the same column or section on both sides (names compare ignoring \
         case and spacing); write two different names, `FROM -> TO`"
    )]
    SameNames { line: String },
    #[error(
        "{kind} rule `{line}` has an empty name; write the column's header or the section's heading as shown on the page"
    )]
    EmptyName { kind: &'static str, line: String },
    #[error("unknown task mode `{value}`; use keep, reopen or drop-done")]
    UnknownTaskMode { value: String },
}

/// `FROM -> TO`: the TO column or section takes the FROM one's content; FROM is emptied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarryRule {
    from: String,
    to: String,
    from_key: String,
    to_key: String,
}

impl CarryRule {
    /// Parses one line, `FROM -> TO`.
    pub fn parse(line: &str) -> Result<Self, RuleError> {
        let err_line = || line.trim().to_owned();
        let mut parts = line.split("->");
        let (Some(from), Some(to)) = (parts.next(), parts.next()) else {
            return Err(RuleError::NoArrow { line: err_line() });
        };
        if parts.next().is_some() {
            return Err(RuleError::ManyArrows { line: err_line() });
        }
        let (from_key, to_key) = (normalize(from), normalize(to));
        if from_key.is_empty() || to_key.is_empty() {
            return Err(RuleError::EmptyName { kind: "carry", line: err_line() });
        }
        if from_key == to_key {
            return Err(RuleError::SameNames { line: err_line() });
        }
        Ok(CarryRule { from: from.trim().to_owned(), to: to.trim().to_owned(), from_key, to_key })
    }

    /// The FROM name as written (trimmed).
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The TO name as written (trimmed).
    pub fn to(&self) -> &str {
        &self.to
    }

    pub(crate) fn source_key(&self) -> &str {
        &self.from_key
    }

    pub(crate) fn target_key(&self) -> &str {
        &self.to_key
    }
}

impl fmt::Display for CarryRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.from, self.to)
    }
}

impl FromStr for CarryRule {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A name whose columns and sections are emptied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearRule {
    name: String,
    key: String,
}

impl ClearRule {
    /// Parses one line, a column header or section heading.
    pub fn parse(line: &str) -> Result<Self, RuleError> {
        let key = normalize(line);
        if key.is_empty() {
            return Err(RuleError::EmptyName { kind: "clear", line: line.trim().to_owned() });
        }
        Ok(ClearRule { name: line.trim().to_owned(), key })
    }

    /// The name as written (trimmed).
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for ClearRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl FromStr for ClearRule {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The carry rules and the clear rules, each in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    pub carry: Vec<CarryRule>,
    pub clear: Vec<ClearRule>,
}

impl Rules {
    /// Parses one rule a line from each text (blank lines are skipped). Returns every problem, in
    /// order, not just the first.
    pub fn parse(carry: &str, clear: &str) -> Result<Self, Vec<RuleError>> {
        let lines = |text: &str| text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect::<Vec<_>>();
        let (mut rules, mut errors) = (Rules::default(), Vec::new());
        for line in lines(carry) {
            CarryRule::parse(&line).map_or_else(|e| errors.push(e), |r| rules.carry.push(r));
        }
        for line in lines(clear) {
            ClearRule::parse(&line).map_or_else(|e| errors.push(e), |r| rules.clear.push(r));
        }
        if errors.is_empty() { Ok(rules) } else { Err(errors) }
    }

    pub fn is_empty(&self) -> bool {
        self.carry.is_empty() && self.clear.is_empty()
    }
}

/// What happens to tasks (`CONFLUENCE_TASKS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskMode {
    /// Leave them as they are.
    #[default]
    Keep,
    /// Every completed task becomes open again.
    Reopen,
    /// Completed tasks go (with everything inside them), and task lists left empty.
    DropDone,
}

impl FromStr for TaskMode {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "keep" => Ok(TaskMode::Keep),
            "reopen" => Ok(TaskMode::Reopen),
            "drop-done" => Ok(TaskMode::DropDone),
            _ => Err(RuleError::UnknownTaskMode { value: s.trim().to_owned() }),
        }
    }
}

impl fmt::Display for TaskMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TaskMode::Keep => "keep",
            TaskMode::Reopen => "reopen",
            TaskMode::DropDone => "drop-done",
        })
    }
}
