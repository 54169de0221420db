// Where PATs are used on this machine: the Places dialog, a new PAT for a dead place,
// and kept tokens copied again.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { CreatedView } from "./bindings/CreatedView";
import type { PlaceView } from "./bindings/PlaceView";
import type { SettingsView } from "./bindings/SettingsView";
import { dialog, listing, pat, rows, SCOPES, shell, type Handlers } from "./testing/shell";

const feed = pat("nuget-feed", 20);
const ORGS = [{ name: "contoso", account: "me@contoso.com" }];

const npm: PlaceView = {
  kind: "npm",
  file: "/home/me/.npmrc",
  entry: "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
  host: "pkgs.dev.azure.com",
  org: "contoso",
  pat: null,
  works: null,
  id: "npm://pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
  suggestedScopes: ["vso.packaging"],
};
const git: PlaceView = {
  kind: "git",
  file: null,
  entry: "https://dev.azure.com/contoso",
  host: "dev.azure.com",
  org: "contoso",
  pat: { id: feed.id, name: "nuget-feed" },
  works: null,
  id: "git:https://dev.azure.com/contoso",
  suggestedScopes: ["vso.code_write"],
};

afterEach(() => {
  cleanup();
  clearMocks();
});

async function start(handlers: Handlers) {
  const calls = shell({
    list_pats: () => listing([feed]),
    list_orgs: () => ORGS,
    list_scopes: () => SCOPES,
    kept_ids: () => [],
    ...handlers,
  });
  render(App);
  await waitFor(() => expect(rows()).toHaveLength(1));
  return calls;
}

describe("places", () => {
  it("lists where credentials are used, checks them on request, and never shows a secret", async () => {
    const calls = await start({
      list_places: (args) =>
        (args as { check: boolean }).check ? [{ ...npm, works: false }, { ...git, works: true }] : [npm, git],
    });
    await fireEvent.click(document.querySelector('[data-action="places"]')!);
    await waitFor(() => expect(dialog().querySelectorAll("li[data-place]")).toHaveLength(2));
    const text = dialog().textContent ?? "";
    expect(text).toContain("npm //pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/ in /home/me/.npmrc");
    expect(text).toContain("holds “nuget-feed”");
    expect(dialog().querySelector('[data-action="new-pat-for-place"]')).toBeNull();

    await fireEvent.click(dialog().querySelector('[data-action="check"]')!);
    await waitFor(() => expect(dialog().querySelector(`li[data-place="${npm.id}"]`)!.textContent).toContain("No longer works"));
    expect(calls.filter((c) => c.cmd === "list_places").map((c) => c.args)).toEqual([{ check: false }, { check: true }]);
    expect(dialog().querySelector(`li[data-place="${git.id}"]`)!.textContent).toContain("Works");
    expect(dialog().querySelectorAll('[data-action="new-pat-for-place"]')).toHaveLength(1);
  });

  it("says why when the places cannot be listed", async () => {
    await start({
      list_places: () => {
        throw { code: "invalidInput", message: "The demo's PATs are used nowhere on this machine.", field: "places" };
      },
    });
    await fireEvent.click(document.querySelector('[data-action="places"]')!);
    await waitFor(() => expect(within(dialog()).getByRole("alert").textContent).toContain("used nowhere"));
  });

  it("makes a new PAT for a dead place with what it needs chosen, and puts the token there", async () => {
    const made: CreatedView = {
      pat: pat("npm contoso", 30),
      clearsInSeconds: 45,
      shortenedFrom: null,
      places: { updated: [{ ...npm, works: null }], notUpdated: [], notes: [] },
      kept: null,
      renewError: null,
    };
    const calls = await start({
      list_places: () => [{ ...npm, works: false }],
      create_pat: () => made,
      clear_secret: () => null,
    });
    await fireEvent.click(document.querySelector('[data-action="places"]')!);
    await waitFor(() => expect(dialog().querySelector('[data-action="new-pat-for-place"]')).not.toBeNull());
    await fireEvent.click(dialog().querySelector('[data-action="new-pat-for-place"]')!);

    await waitFor(() => expect(dialog().querySelector(".for-place")).not.toBeNull());
    expect(dialog().querySelector(".for-place")!.textContent).toContain("/home/me/.npmrc");
    await within(dialog()).findByText("Packaging");
    await waitFor(() =>
      expect(dialog().querySelector<HTMLSelectElement>('[name="org"]')!.value).toBe("contoso"),
    );
    await fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);

    await waitFor(() => expect(calls.some((c) => c.cmd === "create_pat")).toBe(true));
    expect(calls.find((c) => c.cmd === "create_pat")!.args).toEqual({
      request: { org: "contoso", name: "npm contoso", scopes: ["vso.packaging"], expires: "30d", putIn: [npm.id] },
    });
    await waitFor(() => expect(document.querySelector('[data-places="updated"]')).not.toBeNull());
    expect(document.querySelector('[data-places="updated"]')!.textContent).toContain("Put into:");
  });
});

describe("kept tokens", () => {
  it("are switched on in Settings", async () => {
    const settings: SettingsView = { thresholds: [7], startAtLogin: false, kept: true, keepSecrets: false };
    const calls = await start({ get_settings: () => settings, save_settings: () => ({ ...settings, keepSecrets: true }) });
    await fireEvent.click(document.querySelector('[data-action="settings"]')!);
    await waitFor(() => expect(dialog().querySelector('input[name="keep-secrets"]')).not.toBeNull());
    await fireEvent.click(dialog().querySelector('input[name="keep-secrets"]')!);
    await fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_settings")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_settings")!.args).toEqual({
      request: { thresholds: [7], startAtLogin: false, keepSecrets: true },
    });
  });

  it("are copied again from the details of their PAT, or say why not", async () => {
    let fail = false;
    const calls = await start({
      kept_ids: () => [feed.id],
      copy_kept: () => {
        if (fail) throw { code: "keyringUnavailable", message: "The keyring is locked.", field: null };
        return { clearsInSeconds: 45 };
      },
    });
    await fireEvent.click(rows()[0]!);
    await waitFor(() => expect(document.querySelector('[data-action="copy-kept"]')).not.toBeNull());
    await fireEvent.click(document.querySelector('[data-action="copy-kept"]')!);
    await waitFor(() =>
      expect(screen.getByText("The token of “nuget-feed” is on the clipboard; it is cleared in 45 s.")).toBeTruthy(),
    );
    expect(calls.find((c) => c.cmd === "copy_kept")!.args).toEqual({ id: feed.id });

    fail = true;
    await fireEvent.click(document.querySelector('[data-action="copy-kept"]')!);
    await waitFor(() => expect(screen.getByText("Not copied: The keyring is locked.")).toBeTruthy());
  });

  it("a PAT without a kept token offers no copy", async () => {
    await start({});
    await fireEvent.click(rows()[0]!);
    await waitFor(() => expect(document.querySelector("section[data-pat-id]")).not.toBeNull());
    expect(document.querySelector('[data-action="copy-kept"]')).toBeNull();
  });
});

