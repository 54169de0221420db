//! The tray icon on Windows and macOS: core's menu model as a notification-area icon
//! (Shell_NotifyIcon) or a status item, through `tray-icon` and `muda`, the crates Tauri
//! itself uses. Both need the platform's event loop, which must run on the main thread
//! on macOS: so there `main` runs the loop (`run_event_loop`) and the resident part runs
//! on a thread of its own, telling the loop what to show through an event-loop proxy.

use crate::icons;
use crate::menu::{Command, Item, TrayMenu};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder, EventLoopProxy};
use tokio::sync::mpsc::UnboundedSender;
use tray_icon::menu::{Menu, MenuEvent, MenuId, MenuItem, PredefinedMenuItem, Submenu};
use tray_icon::{TrayIcon, TrayIconBuilder};

/// What the resident part asks of the event loop.
pub enum UiEvent {
    /// Show this menu (creating the icon the first time), sending its commands there.
    Show(TrayMenu, UnboundedSender<Command>),
    Menu(MenuEvent),
    /// The resident part has ended: the process exits with this code.
    Exit(i32),
}

static LOOP: OnceLock<Mutex<EventLoopProxy<UiEvent>>> = OnceLock::new();

fn send(event: UiEvent) {
    if let Some(proxy) = LOOP.get() {
        let proxy = proxy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Fails only once the loop has ended, as the process does.
        let _ = proxy.send_event(event);
    }
}

/// The tray as the resident part holds it: it keeps the command channel open for as
/// long as it lives, so the menu loop never ends for want of an icon.
pub struct Tray(UnboundedSender<Command>);

impl Tray {
    pub async fn start(menu: TrayMenu, commands: UnboundedSender<Command>) -> Self {
        send(UiEvent::Show(menu, commands.clone()));
        Self(commands)
    }

    pub async fn show(&self, menu: TrayMenu) {
        send(UiEvent::Show(menu, self.0.clone()));
    }
}

/// Runs the platform's event loop on this (the main) thread, and `resident` on another;
/// returns never: the process exits with `resident`'s code once it has ended.
pub fn run_event_loop(resident: impl FnOnce() -> i32 + Send + 'static) -> ! {
    let event_loop = EventLoopBuilder::<UiEvent>::with_user_event().build();
    let proxy = event_loop.create_proxy();
    let _ = LOOP.set(Mutex::new(proxy.clone()));
    let menu_proxy = Mutex::new(proxy);
    MenuEvent::set_event_handler(Some(move |event| {
        let proxy = menu_proxy
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = proxy.send_event(UiEvent::Menu(event));
    }));
    let mut resident = Some(resident);
    let mut shown = Shown::default();
    event_loop.run(move |event, _, control_flow| {
        *control_flow = ControlFlow::Wait;
        match event {
            // The loop is running now: the icon may be created (macOS wants that).
            Event::NewEvents(StartCause::Init) => {
                if let Some(resident) = resident.take() {
                    std::thread::spawn(move || send(UiEvent::Exit(resident())));
                }
            }
            Event::UserEvent(UiEvent::Show(menu, commands)) => shown.show(&menu, commands),
            Event::UserEvent(UiEvent::Menu(event)) => shown.activate(&event.id),
            Event::UserEvent(UiEvent::Exit(code)) => {
                shown.icon = None;
                std::process::exit(code);
            }
            _ => {}
        }
    })
}

#[derive(Default)]
struct Shown {
    icon: Option<TrayIcon>,
    commands: Option<UnboundedSender<Command>>,
    /// What each menu item of the menu shown asks for.
    actions: HashMap<MenuId, Command>,
    attention: Option<bool>,
}

impl Shown {
    fn show(&mut self, model: &TrayMenu, commands: UnboundedSender<Command>) {
        self.commands = Some(commands);
        let (menu, actions) = native_menu(model);
        self.actions = actions;
        match &self.icon {
            Some(icon) => {
                icon.set_menu(Some(Box::new(menu)));
                if let Err(e) = icon.set_tooltip(Some(&model.tooltip)) {
                    tracing::warn!("tray tooltip: {e}");
                }
                if self.attention != Some(model.needs_attention)
                    && let Err(e) = icon.set_icon(picture(model.needs_attention))
                {
                    tracing::warn!("tray icon: {e}");
                }
            }
            None => {
                let mut builder = TrayIconBuilder::new()
                    .with_id("adopat")
                    .with_menu(Box::new(menu))
                    .with_tooltip(&model.tooltip)
                    // Every action is in the menu: a click on the icon opens it too.
                    .with_menu_on_left_click(true);
                if let Some(picture) = picture(model.needs_attention) {
                    builder = builder.with_icon(picture);
                }
                match builder.build() {
                    Ok(icon) => {
                        tracing::info!("tray icon shown, {} menu items", self.actions.len());
                        self.icon = Some(icon);
                    }
                    Err(e) => tracing::warn!("no tray icon: {e}"),
                }
            }
        }
        self.attention = Some(model.needs_attention);
    }

    fn activate(&self, id: &MenuId) {
        if let (Some(command), Some(commands)) = (self.actions.get(id), &self.commands) {
            let _ = commands.send(*command);
        }
    }
}

fn picture(attention: bool) -> Option<tray_icon::Icon> {
    let png = if attention {
        icons::ATTENTION
    } else {
        icons::NORMAL
    };
    let (width, height, rgba) = icons::rgba(png)?;
    tray_icon::Icon::from_rgba(rgba, width, height).ok()
}

/// Core's menu model as a native menu, and what each item asks for.
fn native_menu(model: &TrayMenu) -> (Menu, HashMap<MenuId, Command>) {
    let menu = Menu::new();
    let mut actions = HashMap::new();
    let mut next = 0u32;
    let mut item = |label: &str, command: Command, actions: &mut HashMap<MenuId, Command>| {
        next += 1;
        let id = MenuId::new(format!("adopat-{next}"));
        actions.insert(id.clone(), command);
        MenuItem::with_id(id, label, true, None)
    };
    for entry in &model.items {
        let appended = match entry {
            Item::Separator => menu.append(&PredefinedMenuItem::separator()),
            Item::Note(text) => menu.append(&MenuItem::new(text, false, None)),
            Item::Pat {
                id,
                label,
                actions: pat_actions,
            } => {
                let submenu = Submenu::new(label, true);
                for &action in pat_actions {
                    let child = item(action.label(), Command::Pat(*id, action), &mut actions);
                    if let Err(e) = submenu.append(&child) {
                        tracing::warn!("tray menu: {e}");
                    }
                }
                menu.append(&submenu)
            }
            other => {
                let command = match other {
                    Item::OpenApp => Command::OpenApp,
                    Item::CheckNow => Command::CheckNow,
                    Item::PauseForADay => Command::PauseForADay,
                    _ => Command::Quit,
                };
                menu.append(&item(other.label(), command, &mut actions))
            }
        };
        if let Err(e) = appended {
            tracing::warn!("tray menu: {e}");
        }
    }
    (menu, actions)
}
