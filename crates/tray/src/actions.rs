//! What the tray's menu and notifications ask for; the resident loop carries it out.

use crate::menu::PatAction;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Pat(Uuid, PatAction),
    OpenApp,
    CheckNow,
    PauseForADay,
    Quit,
}
