//! The demo seed ([`FakeConfluence::seed_demo`], [`Seed`]): space TEAM, root page "Weekly Reports"
//! and two weekly reports; [`CHART_PNG`], the attachment it uses.

use crate::testapi::FakeConfluence;

/// A 1×1 transparent PNG (67 bytes; contains CR LF and NUL bytes, which makes it a good check
/// that uploads and downloads keep bytes intact).
pub const CHART_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// The storage body of the demo report for `date` (ISO `YYYY-MM-DD`).
fn report_body(date: &str, with_chart: bool) -> String {
    let chart = if with_chart { "<p><ac:image><ri:attachment ri:filename=\"chart.png\"/></ac:image></p>" } else { "" };
    format!(
        "<h1>Weekly Report</h1>\
         <p>Week of {date}</p>\
         <ac:task-list>\
         <ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>\
         <ac:task-body>Ship the release</ac:task-body></ac:task>\
         <ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>\
         <ac:task-body>Write the retrospective</ac:task-body></ac:task>\
         </ac:task-list>{chart}"
    )
}

/// What [`FakeConfluence::seed_demo`] created.
#[derive(Debug, Clone)]
pub struct Seed {
    pub space_key: String,
    pub root_page_id: String,
}

impl FakeConfluence {
    /// Space TEAM with root page "Weekly Reports" and two weekly report pages
    /// ("2025-05-22 Weekly Report", "2025-05-29 Weekly Report"), both labelled `weekly-report`, the
    /// second with the attachment `chart.png` ([`CHART_PNG`]).
    pub fn seed_demo(&self) -> Seed {
        let space_key = "TEAM";
        self.add_space_named(space_key, "Team");
        let root =
            self.add_page(space_key, None, "Weekly Reports", "<p>One page per week, created by confluence-weekly.</p>");
        let first =
            self.add_page(space_key, Some(&root), "2025-05-22 Weekly Report", &report_body("2025-05-22", false));
        self.add_label(&first, "weekly-report");
        let second =
            self.add_page(space_key, Some(&root), "2025-05-29 Weekly Report", &report_body("2025-05-29", true));
        self.add_label(&second, "weekly-report");
        self.add_attachment(&second, "chart.png", "image/png", CHART_PNG);
        Seed { space_key: space_key.to_string(), root_page_id: root }
    }
}
