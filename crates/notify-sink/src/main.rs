//! `notify-sink FILE`: stands in for the desktop on a private session bus, so tests see
//! exactly what AdoPat asked it to show: the notification server (each Notify call is
//! appended to FILE as one JSON line, `"kind": "notify"`) and the tray's
//! StatusNotifierWatcher, as a panel with a tray runs it (each item that registers is a
//! line `"kind": "tray"` naming its bus name). "ready" is printed once both names are
//! owned.
//!
//! `--click-after-ms N` plays a user who clicks each clickable notification N ms after
//! it shows (the server's ActionInvoked signal, action "default").

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use zbus::zvariant::OwnedValue;

struct Sink {
    out: Arc<Mutex<std::fs::File>>,
    next_id: AtomicU32,
    click_after: Option<std::time::Duration>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Sink {
    #[allow(clippy::too_many_arguments)] // the D-Bus method's own signature
    fn notify(
        &self,
        app_name: String,
        replaces_id: u32,
        app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedValue>,
        expire_timeout: i32,
        #[zbus(connection)] connection: &zbus::Connection,
    ) -> u32 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut hint_names: Vec<&String> = hints.keys().collect();
        hint_names.sort();
        let line = serde_json::json!({
            "kind": "notify", "id": id, "appName": app_name, "replacesId": replaces_id, "appIcon": app_icon,
            "summary": summary, "body": body, "actions": actions, "hints": hint_names,
            "expireTimeout": expire_timeout,
        });
        record(&self.out, &line);
        if let Some(after) = self
            .click_after
            .filter(|_| actions.iter().any(|a| a == "default"))
        {
            let connection = zbus::blocking::Connection::from(connection.clone());
            std::thread::spawn(move || {
                std::thread::sleep(after);
                let _ = connection.emit_signal(
                    None::<&str>,
                    "/org/freedesktop/Notifications",
                    "org.freedesktop.Notifications",
                    "ActionInvoked",
                    &(id, "default"),
                );
            });
        }
        id
    }

    fn get_capabilities(&self) -> Vec<String> {
        ["body", "actions", "icon-static"]
            .map(String::from)
            .to_vec()
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "adopat-notify-sink".into(),
            "AdoPat".into(),
            "1".into(),
            "1.2".into(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

fn record(out: &Mutex<std::fs::File>, line: &serde_json::Value) {
    if let Ok(mut out) = out.lock() {
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

/// The panel side of StatusNotifierItem: items register here, and a host is said to be
/// present so they show themselves.
struct Watcher {
    out: Arc<Mutex<std::fs::File>>,
    items: Mutex<Vec<String>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(
        &self,
        service: String,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        // An item may register by bus name or by object path (then its sender is meant).
        let name = match (service.starts_with('/'), header.sender()) {
            (true, Some(sender)) => sender.to_string(),
            _ => service,
        };
        record(
            &self.out,
            &serde_json::json!({ "kind": "tray", "service": name }),
        );
        if let Ok(mut items) = self.items.lock() {
            items.push(name);
        }
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().map(|i| i.clone()).unwrap_or_default()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    const USAGE: &str = "usage: notify-sink FILE [--click-after-ms N]";
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or(USAGE)?;
    let click_after = match args.get(1).map(String::as_str) {
        None => None,
        Some("--click-after-ms") => {
            let ms = args.get(2).and_then(|n| n.parse().ok()).ok_or(USAGE)?;
            Some(std::time::Duration::from_millis(ms))
        }
        Some(_) => return Err(USAGE.into()),
    };
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let out = Arc::new(Mutex::new(out));
    let sink = Sink {
        out: out.clone(),
        next_id: AtomicU32::new(1),
        click_after,
    };
    let watcher = Watcher {
        out,
        items: Mutex::new(Vec::new()),
    };
    let _connection = zbus::blocking::connection::Builder::session()?
        .name("org.freedesktop.Notifications")?
        .name("org.kde.StatusNotifierWatcher")?
        .serve_at("/org/freedesktop/Notifications", sink)?
        .serve_at("/StatusNotifierWatcher", watcher)?
        .build()?;
    println!("ready");
    std::io::stdout().flush()?;
    loop {
        std::thread::park();
    }
}
