//! `notify-sink FILE`: stands in for the desktop's notification server on a private
//! session bus, so tests see exactly what AdoPat asked to show. Each Notify call is
//! appended to FILE as one JSON line; "ready" is printed once the name is owned.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use zbus::zvariant::OwnedValue;

struct Sink {
    out: Mutex<std::fs::File>,
    next_id: AtomicU32,
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
    ) -> u32 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut hint_names: Vec<&String> = hints.keys().collect();
        hint_names.sort();
        let line = serde_json::json!({
            "id": id, "appName": app_name, "replacesId": replaces_id, "appIcon": app_icon,
            "summary": summary, "body": body, "actions": actions, "hints": hint_names,
            "expireTimeout": expire_timeout,
        });
        if let Ok(mut out) = self.out.lock() {
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
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

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: notify-sink FILE")?;
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let sink = Sink {
        out: Mutex::new(out),
        next_id: AtomicU32::new(1),
    };
    let _connection = zbus::blocking::connection::Builder::session()?
        .name("org.freedesktop.Notifications")?
        .serve_at("/org/freedesktop/Notifications", sink)?
        .build()?;
    println!("ready");
    std::io::stdout().flush()?;
    loop {
        std::thread::park();
    }
}
