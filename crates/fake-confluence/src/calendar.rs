//! A fake calendar feed (Google Calendar's or Outlook's published `.ics`): serves one text at a
//! private-looking path, counts requests, and can hold its answer until something else happened.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The path the calendar is served at; deliberately secret-looking, like a Google Calendar
/// private address (whose key is in the path).
pub const CALENDAR_PATH: &str = "/calendar/ical/abc%40group.calendar.google.com/private-0123456789abcdef/basic.ics";

/// The key part of [`CALENDAR_PATH`], which must never show in any output.
pub const CALENDAR_KEY: &str = "private-0123456789abcdef";

/// What makes a held answer go.
type Gate = Arc<dyn Fn() -> bool + Send + Sync>;

#[derive(Default)]
struct CalendarState {
    text: String,
    requests: usize,
    gate: Option<Gate>,
    /// Whether the gate was open when the answer went (`None` before any answer).
    gate_was_open: Option<bool>,
}

/// A running fake calendar. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct FakeCalendar {
    state: Arc<Mutex<CalendarState>>,
    url: String,
}

impl FakeCalendar {
    /// Serves `text` at `http://127.0.0.1:{random port}{CALENDAR_PATH}` on the current runtime.
    pub async fn start(text: &str) -> FakeCalendar {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.expect("bind fake calendar");
        let port = listener.local_addr().expect("local addr").port();
        let state = Arc::new(Mutex::new(CalendarState { text: text.to_owned(), ..CalendarState::default() }));
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeCalendar { state, url: format!("http://127.0.0.1:{port}{CALENDAR_PATH}") }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Requests that reached the server.
    pub fn requests(&self) -> usize {
        lock(&self.state).requests
    }

    /// Holds each answer until `open()` is true (at most five seconds): a run that asks for the
    /// calendar only after `open` could become true is held the whole time, and
    /// [`FakeCalendar::gate_was_open`] says `false`.
    pub fn hold_until(&self, open: impl Fn() -> bool + Send + Sync + 'static) {
        lock(&self.state).gate = Some(Arc::new(open));
    }

    /// Whether the gate was open when the last answer went.
    pub fn gate_was_open(&self) -> Option<bool> {
        lock(&self.state).gate_was_open
    }
}

fn lock(state: &Mutex<CalendarState>) -> MutexGuard<'_, CalendarState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

async fn handle(State(state): State<Arc<Mutex<CalendarState>>>, uri: axum::http::Uri) -> Response {
    let gate = {
        let mut s = lock(&state);
        s.requests += 1;
        s.gate.clone()
    };
    if uri.path() != CALENDAR_PATH {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(open) = gate {
        let mut open_now = open();
        for _ in 0..500 {
            if open_now {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
            open_now = open();
        }
        lock(&state).gate_was_open = Some(open_now);
    }
    let text = lock(&state).text.clone();
    ([(header::CONTENT_TYPE, "text/calendar; charset=UTF-8")], text).into_response()
}
