//! WebKitGTK without a GPU. WebKit composites the page with OpenGL; where no GPU can do
//! it (a virtual machine, a remote desktop, a container, Xvfb), Mesa's llvmpipe does it on
//! the CPU, and that is what made the window slow and heavy there: measured under Xvfb
//! (`cargo xtask bench desktop`), compositing on software GL cost ~180 ms of the start
//! and ~80 MiB, with nothing gained. There the window starts with compositing off, as
//! `WEBKIT_DISABLE_COMPOSITING_MODE=1` does; with a GPU, WebKit's defaults stay.
//!
//! The switch is WebKit's environment variable because WebKit reads it before it sets up
//! OpenGL in this process: turning compositing off in the webview's settings instead
//! still paid for that set-up (~45 ms and 6 MiB more, measured the same way).

use std::ffi::OsString;
use std::path::Path;

/// WebKit's switch. Set by the user, to any value, it is theirs and left as it is.
pub const COMPOSITING_OFF: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Also the user's: since WebKitGTK 2.44 it turns compositing off too.
const DMABUF_RENDERER_OFF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Mesa's drivers that render on the CPU.
const SOFTWARE_DRIVERS: [&str; 3] = ["llvmpipe", "softpipe", "swrast"];
/// Kernel drivers with a render node but nothing to render with (Mesa falls back to
/// llvmpipe on them).
const NO_GPU_DRIVERS: [&str; 2] = ["vgem", "vkms"];
/// /dev/dri holds a few nodes per GPU; more entries than this are not looked at.
const MOST_NODES: usize = 64;

/// Why compositing would run on the CPU here, when it would and the user has not chosen.
/// `var` reads the environment; `dri` is /dev/dri and `drm` /sys/class/drm.
pub fn compositing_on_cpu(
    var: impl Fn(&str) -> Option<OsString>,
    dri: &Path,
    drm: &Path,
) -> Option<&'static str> {
    if var(COMPOSITING_OFF).is_some() || var(DMABUF_RENDERER_OFF).is_some() {
        return None;
    }
    if var("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| truthy(&v)) {
        return Some("LIBGL_ALWAYS_SOFTWARE is set");
    }
    if var("GALLIUM_DRIVER").is_some_and(|v| SOFTWARE_DRIVERS.iter().any(|d| v == *d)) {
        return Some("GALLIUM_DRIVER names a software renderer");
    }
    if !gpu_render_node(dri, drm) {
        return Some("no GPU render node this user can open in /dev/dri");
    }
    None
}

/// As Mesa reads a boolean variable.
fn truthy(value: &OsString) -> bool {
    matches!(
        value.to_string_lossy().to_ascii_lowercase().as_str(),
        "1" | "true" | "y" | "yes"
    )
}

/// A render node (renderD128, …) WebKit could render on: one this user may open for
/// reading and writing, of a driver that has a GPU behind it.
fn gpu_render_node(dri: &Path, drm: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dri) else {
        return false;
    };
    entries.flatten().take(MOST_NODES).any(|entry| {
        let name = entry.file_name();
        let Some(name) = name.to_str().filter(|n| n.starts_with("renderD")) else {
            return false;
        };
        let driver = std::fs::read_link(drm.join(name).join("device/driver")).ok();
        let no_gpu = driver
            .as_deref()
            .and_then(Path::file_name)
            .is_some_and(|d| NO_GPU_DRIVERS.iter().any(|n| d == *n));
        // Opening a render node neither blocks nor needs a privilege it would ask for.
        !no_gpu
            && std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(entry.path())
                .is_ok()
    })
}

/// The decision for this machine, from its environment and devices.
pub fn here() -> Option<&'static str> {
    compositing_on_cpu(
        |name| std::env::var_os(name),
        Path::new("/dev/dri"),
        Path::new("/sys/class/drm"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;

    /// A /dev/dri and /sys/class/drm of one's own making.
    struct Devices {
        root: tempfile::TempDir,
    }

    impl Devices {
        fn none() -> Self {
            let root = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(root.path().join("dri")).unwrap();
            std::fs::create_dir_all(root.path().join("drm")).unwrap();
            Self { root }
        }

        /// A render node of `driver`; a regular file opens as a device node would.
        fn with_node(self, name: &str, driver: &str) -> Self {
            std::fs::write(self.dri().join(name), b"").unwrap();
            let device = self.drm().join(name).join("device");
            std::fs::create_dir_all(&device).unwrap();
            std::os::unix::fs::symlink(
                PathBuf::from("../../../bus/pci/drivers").join(driver),
                device.join("driver"),
            )
            .unwrap();
            self
        }

        fn dri(&self) -> PathBuf {
            self.root.path().join("dri")
        }

        fn drm(&self) -> PathBuf {
            self.root.path().join("drm")
        }

        fn decide(&self, env: &[(&str, &str)]) -> Option<&'static str> {
            let env: HashMap<String, OsString> = env
                .iter()
                .map(|(k, v)| (k.to_string(), OsString::from(v)))
                .collect();
            compositing_on_cpu(|name| env.get(name).cloned(), &self.dri(), &self.drm())
        }
    }

    #[test]
    fn a_gpu_keeps_webkits_defaults() {
        let gpu = Devices::none().with_node("renderD128", "i915");
        assert_eq!(gpu.decide(&[]), None);
    }

    #[test]
    fn no_render_node_is_software_rendering() {
        let reason = Devices::none().decide(&[]).unwrap();
        assert!(reason.contains("/dev/dri"), "{reason}");
    }

    #[test]
    fn no_dev_dri_at_all_is_software_rendering() {
        let devices = Devices::none();
        std::fs::remove_dir(devices.dri()).unwrap();
        assert!(devices.decide(&[]).is_some());
    }

    #[test]
    fn a_render_node_without_a_gpu_behind_it_does_not_count() {
        let virtual_only = Devices::none().with_node("renderD128", "vgem");
        assert!(virtual_only.decide(&[]).is_some());
        let and_a_gpu = virtual_only.with_node("renderD129", "amdgpu");
        assert_eq!(and_a_gpu.decide(&[]), None);
    }

    #[test]
    fn a_render_node_this_user_cannot_open_does_not_count() {
        let devices = Devices::none();
        // A directory cannot be opened for writing, as a node without permission.
        std::fs::create_dir(devices.dri().join("renderD128")).unwrap();
        assert!(devices.decide(&[]).is_some());
    }

    #[test]
    fn other_nodes_are_not_render_nodes() {
        let devices = Devices::none().with_node("card0", "i915");
        assert!(devices.decide(&[]).is_some());
    }

    #[test]
    fn mesa_told_to_render_on_the_cpu_is_software_rendering_even_with_a_gpu() {
        let gpu = Devices::none().with_node("renderD128", "i915");
        assert!(gpu.decide(&[("LIBGL_ALWAYS_SOFTWARE", "1")]).is_some());
        assert!(gpu.decide(&[("LIBGL_ALWAYS_SOFTWARE", "true")]).is_some());
        assert_eq!(gpu.decide(&[("LIBGL_ALWAYS_SOFTWARE", "0")]), None);
        assert!(gpu.decide(&[("GALLIUM_DRIVER", "llvmpipe")]).is_some());
        assert_eq!(gpu.decide(&[("GALLIUM_DRIVER", "iris")]), None);
    }

    #[test]
    fn the_users_own_choice_is_left_alone() {
        let no_gpu = Devices::none();
        // "0" keeps compositing on, as WebKit reads it: the user asked for it.
        assert_eq!(no_gpu.decide(&[(COMPOSITING_OFF, "0")]), None);
        assert_eq!(no_gpu.decide(&[(COMPOSITING_OFF, "1")]), None);
        assert_eq!(no_gpu.decide(&[(DMABUF_RENDERER_OFF, "1")]), None);
    }
}
