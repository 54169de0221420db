//! The tray icon: the menu model (`crate::menu`) as a StatusNotifierItem with a
//! dbusmenu on Linux, and as a notification-area icon or status item on Windows and
//! macOS (`crate::native`). Every action is a menu item, since Linux hosts do not
//! deliver clicks on the icon itself.

#[cfg(target_os = "linux")]
pub use linux::Tray;

#[cfg(not(target_os = "linux"))]
pub use crate::native::Tray;

#[cfg(target_os = "linux")]
mod linux {
    use crate::icons;
    use crate::menu::Item;
    use crate::menu::{Command, TrayMenu};
    use ksni::menu::{StandardItem, SubMenu};
    use ksni::{MenuItem, TrayMethods};
    use tokio::sync::mpsc::UnboundedSender;

    pub struct Tray(Option<ksni::Handle<Icon>>);

    pub struct Icon {
        menu: TrayMenu,
        commands: UnboundedSender<Command>,
    }

    impl Icon {
        fn send(&self, command: Command) {
            // Closed only while the process ends.
            let _ = self.commands.send(command);
        }

        fn pixmap(png: &[u8]) -> Vec<ksni::Icon> {
            icons::argb(png)
                .map(|(width, height, data)| ksni::Icon {
                    width,
                    height,
                    data,
                })
                .into_iter()
                .collect()
        }
    }

    impl Tray {
        /// Without a StatusNotifier host (yet) the item still starts, and shows once a
        /// host appears; notifications do not depend on it.
        pub async fn start(menu: TrayMenu, commands: UnboundedSender<Command>) -> Self {
            let icon = Icon { menu, commands };
            match icon.assume_sni_available(true).spawn().await {
                Ok(handle) => Self(Some(handle)),
                Err(e) => {
                    tracing::warn!("no tray icon: {e}");
                    Self(None)
                }
            }
        }

        pub async fn show(&self, menu: TrayMenu) {
            if let Some(handle) = &self.0 {
                handle.update(|icon| icon.menu = menu).await;
            }
        }
    }

    impl ksni::Tray for Icon {
        fn id(&self) -> String {
            "adopat".into()
        }

        fn title(&self) -> String {
            "AdoPat".into()
        }

        fn category(&self) -> ksni::Category {
            ksni::Category::ApplicationStatus
        }

        fn status(&self) -> ksni::Status {
            if self.menu.needs_attention {
                ksni::Status::NeedsAttention
            } else {
                ksni::Status::Active
            }
        }

        // Hosts that ignore NeedsAttention still see the badge.
        fn icon_pixmap(&self) -> Vec<ksni::Icon> {
            Self::pixmap(if self.menu.needs_attention {
                icons::ATTENTION
            } else {
                icons::NORMAL
            })
        }

        fn attention_icon_pixmap(&self) -> Vec<ksni::Icon> {
            Self::pixmap(icons::ATTENTION)
        }

        fn tool_tip(&self) -> ksni::ToolTip {
            ksni::ToolTip {
                title: self.menu.tooltip.clone(),
                ..Default::default()
            }
        }

        fn menu(&self) -> Vec<MenuItem<Self>> {
            self.menu.items.iter().map(item).collect()
        }
    }

    fn item(item: &Item) -> MenuItem<Icon> {
        let command = match item {
            Item::Separator => return MenuItem::Separator,
            Item::Note(text) => {
                return StandardItem {
                    label: text.clone(),
                    enabled: false,
                    ..Default::default()
                }
                .into();
            }
            Item::Pat { id, label, actions } => {
                let id = *id;
                return SubMenu {
                    label: label.clone(),
                    submenu: actions
                        .iter()
                        .map(|&action| {
                            StandardItem {
                                label: action.label().into(),
                                activate: Box::new(move |icon: &mut Icon| {
                                    icon.send(Command::Pat(id, action));
                                }),
                                ..Default::default()
                            }
                            .into()
                        })
                        .collect(),
                    ..Default::default()
                }
                .into();
            }
            Item::OpenApp => Command::OpenApp,
            Item::CheckNow => Command::CheckNow,
            Item::PauseForADay => Command::PauseForADay,
            Item::Quit => Command::Quit,
        };
        StandardItem {
            label: item.label().into(),
            activate: Box::new(move |icon: &mut Icon| icon.send(command)),
            ..Default::default()
        }
        .into()
    }
}
