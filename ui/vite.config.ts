import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Relative asset paths: the shell serves ui/dist from its own origin.
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ (Debian 12); nothing older runs the app.
    target: "safari16",
    // Everything inline-free: the CSP allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // Svelte's client build (mount) under Vitest, not its server build.
  resolve: mode === "test" ? { conditions: ["browser"] } : undefined,
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/testing/clock.ts"],
    env: { TZ: "UTC" },
    // What a test waits for is its own (findBy, waitFor); this is only the backstop, wide
    // enough for a loaded 2-core CI machine, where jsdom renders several times slower.
    testTimeout: 30_000,
  },
}));
