// Reminders from the window: the Settings dialog, snoozing one PAT, and the tray or a
// notification asking the window to show a PAT.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import type { Channel, InvokeArgs } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { SettingsView } from "./bindings/SettingsView";
import { DAY, dialog, listing, pat, rows, shell, type Handlers } from "./testing/shell";

const feed = pat("nuget-feed", 3);
const old = pat("old-runner", -2);
const kept: SettingsView = { thresholds: [14, 7, 1, 0], startAtLogin: true, kept: true, keepSecrets: false };

afterEach(() => {
  cleanup();
  clearMocks();
});

function start(handlers: Handlers) {
  const calls = shell({
    list_pats: (args) => listing((args as { filter: string }).filter === "all" ? [feed, old] : [feed]),
    ...handlers,
  });
  render(App);
  return calls;
}

const box = (days: number) =>
  dialog().querySelector<HTMLInputElement>(`input[name="threshold"][value="${days}"]`)!;

describe("settings", () => {
  it("shows the thresholds kept and saves the ones chosen", async () => {
    const calls = start({ get_settings: () => kept, save_settings: (args) => ({ ...kept, ...(args as { request: object }).request }) });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(document.querySelector('[data-action="settings"]')!);
    await waitFor(() => expect(box(14).checked).toBe(true));
    expect(box(30).checked).toBe(false);
    expect(dialog().querySelector<HTMLInputElement>('input[name="start-at-login"]')!.checked).toBe(true);

    await fireEvent.click(box(30));
    await fireEvent.click(box(1));
    await fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    const saved = calls.find((c) => c.cmd === "save_settings")!.args as { request: SettingsView };
    expect([...saved.request.thresholds].sort((a, b) => a - b)).toEqual([0, 7, 14, 30]);
    expect(saved.request.startAtLogin).toBe(true);
    expect(document.querySelector(".notice")!.textContent).toBe("Settings saved.");
  });

  it("keeps the dialog open with the shell's reason when saving fails", async () => {
    start({
      get_settings: () => kept,
      save_settings: () => {
        throw { code: "other", message: "could not change whether AdoPat starts at login: denied", field: null };
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(document.querySelector('[data-action="settings"]')!);
    await waitFor(() => expect(box(7).checked).toBe(true));
    await fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(within(dialog()).getByRole("alert").textContent).toContain("starts at login: denied"));
  });

  it("in the demo, says nothing is kept and offers nothing to change", async () => {
    start({ get_settings: () => ({ ...kept, startAtLogin: false, kept: false }) });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(document.querySelector('[data-action="settings"]')!);
    await waitFor(() => expect(within(dialog()).getByText("The demo keeps no settings.")).toBeTruthy());
    expect(box(14).matches(":disabled")).toBe(true);
  });
});

describe("snooze", () => {
  it("puts one PAT's reminders off and says until when, or why not", async () => {
    let fail = false;
    const calls = start({
      snooze_pat: (args) => {
        if (fail) throw { code: "invalidInput", message: "The demo keeps nothing.", field: "reminders" };
        const { days } = args as { days: number };
        return new Date(Date.now() + days * DAY).toISOString();
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    await fireEvent.click(document.querySelector('[data-action="snooze"][data-days="7"]')!);
    await waitFor(() => expect(document.querySelector(".notice")!.textContent).toMatch(/^No reminder about “nuget-feed” until /));
    expect(calls.find((c) => c.cmd === "snooze_pat")!.args).toEqual({ id: feed.id, days: 7 });

    fail = true;
    await fireEvent.click(document.querySelector('[data-action="snooze"][data-days="1"]')!);
    await waitFor(() => expect(document.querySelector(".notice")!.textContent).toBe("Not snoozed: The demo keeps nothing."));
  });
});

describe("a PAT asked for by the tray", () => {
  it("is shown, with All chosen when it is not active", async () => {
    let page: Channel<string> | undefined;
    start({
      watch_selection: (args: InvokeArgs | undefined) => {
        page = (args as { onSelect: Channel<string> }).onSelect;
        return null;
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(page).toBeDefined();
    page!.onmessage(old.id);
    await waitFor(() => expect(document.querySelector(`.details[data-pat-id="${old.id}"]`)).not.toBeNull());
    expect(rows()).toHaveLength(2);
  });
});
