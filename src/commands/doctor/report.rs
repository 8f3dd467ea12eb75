//! What `doctor` found, one check at a time, and how it is shown: a line each (✔, ⚠, ✘
//! with the fix, `-` for a step not tried), or one JSON document.

use anyhow::Result;
use serde_json::{Value, json};

use crate::credentials::Session;
use crate::error::{self, Exit, exit_code};

use super::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Pass,
    Warn,
    Fail,
    Skip,
}

pub(super) struct Check {
    pub(super) name: &'static str,
    pub(super) state: State,
    pub(super) detail: String,
    pub(super) fix: Option<String>,
    pub(super) exit: Option<Exit>,
    pub(super) data: Option<Value>,
}

impl Check {
    pub(super) fn pass(name: &'static str, detail: impl Into<String>) -> Check {
        Check {
            name,
            state: State::Pass,
            detail: detail.into(),
            fix: None,
            exit: None,
            data: None,
        }
    }

    pub(super) fn warn(
        name: &'static str,
        detail: impl Into<String>,
        fix: impl Into<String>,
    ) -> Check {
        Check {
            state: State::Warn,
            fix: Some(fix.into()),
            ..Check::pass(name, detail)
        }
    }

    pub(super) fn skip(name: &'static str, why: impl Into<String>) -> Check {
        Check {
            state: State::Skip,
            ..Check::pass(name, why)
        }
    }

    /// A failed step, told by its error: the message, its hint as the fix (without advice
    /// to run doctor, which is running), its exit code.
    pub(super) fn fail(name: &'static str, err: &anyhow::Error) -> Check {
        let fix = error::hint(err).map(|hint| {
            hint.split("; ")
                .filter(|part| !part.contains("saymon doctor"))
                .collect::<Vec<_>>()
                .join("; ")
        });
        Check {
            name,
            state: State::Fail,
            detail: format!("{err:#}"),
            fix: fix.filter(|f| !f.is_empty()),
            exit: Some(exit_code(err)),
            data: None,
        }
    }

    pub(super) fn with_data(mut self, data: Value) -> Check {
        self.data = Some(data);
        self
    }

    pub(super) fn line(&self) -> String {
        let mark = match self.state {
            State::Pass => "✔",
            State::Warn => "⚠",
            State::Fail => "✘",
            State::Skip => "-",
        };
        let mut line = format!("{mark} {:<12} {}", self.name, self.detail);
        if let Some(fix) = &self.fix {
            line.push_str(&format!("; fix: {fix}"));
        }
        line
    }

    pub(super) fn json(&self) -> Value {
        let mut value = json!({
            "check": self.name,
            "state": match self.state {
                State::Pass => "pass",
                State::Warn => "warn",
                State::Fail => "fail",
                State::Skip => "skip",
            },
            "detail": self.detail,
            "fix": self.fix,
            "exit": self.exit.map(|e| e as i32),
        });
        if let Some(data) = &self.data {
            value["data"] = data.clone();
        }
        value
    }
}

pub(super) fn report(session: &Session<'_>, checks: &[Check], targets: &[Target]) -> Result<()> {
    let out = session.out;
    if out.json() {
        let ok = !checks
            .iter()
            .chain(targets.iter().flat_map(|t| &t.checks))
            .any(|c| c.state == State::Fail);
        let profiles: Vec<Value> = targets
            .iter()
            .map(|t| {
                json!({
                    "profile": t.name,
                    "server": t.server.as_ref().ok().map(ToString::to_string),
                    "checks": t.checks.iter().map(Check::json).collect::<Vec<_>>(),
                })
            })
            .collect();
        out.result_json(&json!({
            "ok": ok,
            "config_dir": session.selected.config_dir,
            "checks": checks.iter().map(Check::json).collect::<Vec<_>>(),
            "profiles": profiles,
        }))?;
        return Ok(());
    }
    let mut text = String::new();
    for check in checks {
        text.push_str(&check.line());
        text.push('\n');
    }
    for target in targets {
        let server = match &target.server {
            Ok(server) => server.to_string(),
            // None, or an address that is not one: the check below says which.
            Err(_) => "no usable server".to_string(),
        };
        text.push_str(&format!("profile {} ({server})\n", target.name));
        for check in &target.checks {
            text.push_str("  ");
            text.push_str(&check.line());
            text.push('\n');
        }
    }
    out.result(&text)?;
    Ok(())
}
