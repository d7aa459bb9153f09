//! What every handler is given: the application (its database, clock, configuration, calendar).

use crate::app::App;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
}

impl AppState {
    pub fn new(app: App) -> Self {
        Self { app }
    }
}
