// The window against a mocked shell (mockIPC): what a user sees and what is invoked.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { RegeneratedView } from "./bindings/RegeneratedView";
import { folded, listing, NO_PLACES, pat, rows, SECRET, shell } from "./testing/shell";

const soon = pat("nuget-feed", 3);
const later = pat("pipeline-ci", 90, { orgs: ["fabrikam"], scopesSummary: "Build (read & execute), Code (read)" });
const global = pat("all-orgs", 60, { orgs: ["contoso", "fabrikam"], global: true });

beforeEach(() => {
  // jsdom has no <dialog> methods; the app opens dialogs through the `open` attribute then.
  delete (HTMLDialogElement.prototype as Partial<HTMLDialogElement>).showModal;
});

afterEach(() => {
  cleanup();
  clearMocks();
});

/** `soon` regenerated: the new PAT, copied and cleared in 45 s, the old one revoked. */
function regenerated(overrides: Partial<RegeneratedView> = {}): RegeneratedView {
  return {
    newId: "00000000-0000-4000-8000-00000000beef",
    pat: { ...soon, id: "00000000-0000-4000-8000-00000000beef" },
    replaces: soon.id,
    replaced: { ...soon, status: "revoked", state: "revoked", stateLabel: "revoked", urgency: "inactive" },
    clearsInSeconds: 45,
    oldRevoked: true,
    oldRevokeError: null,
    shortenedFrom: null,
    places: NO_PLACES,
    kept: null,
    ...overrides,
  };
}

describe("the list", () => {
  it("shows every PAT with its automation hook, expiry in words and status", async () => {
    shell({ list_pats: () => listing([soon, later, global]) });
    render(App);

    await waitFor(() => expect(rows()).toHaveLength(3));
    const first = rows()[0]!;
    expect(first.dataset.patId).toBe(soon.id);
    expect(first.textContent).toContain("nuget-feed");
    expect(first.textContent).toContain("in 3 days");
    expect(first.textContent).toMatch(/active/i);
    expect(first.querySelector(".urgency-soon")).not.toBeNull();
    // Soonest expiry first, whatever order the shell answered in.
    expect(rows()[1]!.dataset.patId).toBe(global.id);
    expect(rows()[1]!.textContent).toContain("All organizations: stops working on 1 December 2026");
    expect(screen.getByText(/3 PATs/)).toBeTruthy();
  });

  it("asks the shell for the chosen filter and searches by name", async () => {
    const calls = shell({ list_pats: () => listing([soon, later]) });
    render(App);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(calls.find((c) => c.cmd === "list_pats")).toEqual({ cmd: "list_pats", args: { filter: "active" } });

    await fireEvent.click(screen.getByLabelText("All"));
    await waitFor(() => expect(calls.at(-1)).toEqual({ cmd: "list_pats", args: { filter: "all" } }));

    await fireEvent.input(screen.getByLabelText("Search by name"), { target: { value: "PIPE" } });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.textContent).toContain("pipeline-ci");
  });

  it("says when there is nothing to show", async () => {
    shell({ list_pats: () => listing([]) });
    render(App);
    expect(await screen.findByText("No active PATs")).toBeTruthy();
  });

  it("turns an error code into a heading the user can act on", async () => {
    shell({
      list_pats: () => {
        throw { code: "signInRequired", message: "Not signed in. Sign in with `adopat login`.", field: null };
      },
    });
    render(App);
    expect(await screen.findByText("Sign-in needed")).toBeTruthy();
    expect(screen.getByText(/adopat login/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});

describe("the details pane", () => {
  it("opens on a click with the PAT's actions", async () => {
    shell({ list_pats: () => listing([soon, later]) });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(2));

    await fireEvent.click(rows()[1]!);
    const pane = container.querySelector<HTMLElement>(`section[data-pat-id="${later.id}"]`);
    expect(pane).not.toBeNull();
    for (const action of ["edit", "extend", "regenerate", "revoke"]) {
      expect(pane!.querySelector(`[data-action="${action}"]`)).not.toBeNull();
    }
    expect(pane!.textContent).toContain(later.id);
  });

  it("follows the arrow keys through the list", async () => {
    shell({ list_pats: () => listing([soon, later, global]) });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(3));
    const selected = () => container.querySelector<HTMLElement>("section[data-pat-id]")?.dataset.patId;

    await fireEvent.keyDown(rows()[0]!, { key: "ArrowDown" });
    expect(selected()).toBe(global.id);
    expect(document.activeElement).toBe(rows()[1]);
    await fireEvent.keyDown(rows()[1]!, { key: "End" });
    expect(selected()).toBe(later.id);
    expect(rows()[2]!.tabIndex).toBe(0);
    expect(rows()[0]!.tabIndex).toBe(-1);
  });

  it("revokes only after the confirm dialog, and the PAT leaves the active list", async () => {
    const calls = shell({
      list_pats: () => listing([soon, later]),
      revoke_pat: () => ({ ...soon, status: "revoked", state: "revoked", stateLabel: "revoked", urgency: "inactive" }),
    });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(rows()[0]!);
    await fireEvent.click(container.querySelector('section [data-action="revoke"]')!);

    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toContain("nuget-feed");
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);

    await fireEvent.click(within(dialog).getByText("Revoke"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(calls.find((c) => c.cmd === "revoke_pat")?.args).toEqual({ id: soon.id });
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("keeps a regenerated secret out of the page until Reveal", async () => {
    const result = regenerated();
    const calls = shell({
      list_pats: () => listing([soon]),
      regenerate_pat: () => result,
      reveal_secret: () => SECRET,
      clear_secret: () => null,
    });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    await fireEvent.click(container.querySelector('section [data-action="regenerate"]')!);
    await fireEvent.click(within(screen.getByRole("dialog")).getByText("Regenerate"));

    expect(await screen.findByText("New token copied to the clipboard; it is cleared in 45 s", folded)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "regenerate_pat")?.args).toEqual({ request: { id: soon.id } });
    expect(document.body.innerHTML).not.toContain(SECRET);
    // Both rows come from the answer: the new PAT listed, the revoked one gone, no new listing.
    expect(rows().map((r) => r.dataset.patId)).toEqual([result.newId]);
    expect(calls.filter((c) => c.cmd === "list_pats")).toHaveLength(1);

    await fireEvent.click(container.ownerDocument.querySelector('[data-action="reveal"]')!);
    await waitFor(() => expect(screen.getByDisplayValue(SECRET)).toBeTruthy());

    await fireEvent.click(container.ownerDocument.querySelector('[role="dialog"] [data-action="cancel"]')!);
    await waitFor(() => expect(calls.some((c) => c.cmd === "clear_secret")).toBe(true));
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("names the places that got the new secret and those that could not", async () => {
    const place = (kind: "npm" | "git", entry: string, file: string | null) => ({
      kind,
      entry,
      host: kind === "git" ? "dev.azure.com" : "pkgs.dev.azure.com",
      file,
      org: "contoso",
      pat: null,
      works: null,
    });
    const result = regenerated({
      places: {
        updated: [place("git", "https://dev.azure.com/contoso", null)],
        notUpdated: [
          {
            ...place("npm", "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/", "/home/me/.npmrc"),
            reason: "is read-only, so it was not written",
          },
        ],
        notes: ["/home/me/.npmrc: its group could not be kept, so only you can read it now"],
      },
    });
    shell({ list_pats: () => listing([soon]), regenerate_pat: () => result, clear_secret: () => null });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    await fireEvent.click(container.querySelector('section [data-action="regenerate"]')!);
    await fireEvent.click(within(screen.getByRole("dialog")).getByText("Regenerate"));

    await waitFor(() => expect(document.querySelector('[data-places="updated"]')).not.toBeNull());
    const updated = document.querySelector('[data-places="updated"]')!;
    expect(updated.textContent).toContain("git credentials https://dev.azure.com/contoso in git's credential helper");
    const missed = document.querySelector('[data-places="not-updated"]')!;
    expect(missed.getAttribute("role")).toBe("alert");
    expect(missed.textContent).toContain(
      "npm //pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/ in /home/me/.npmrc: is read-only",
    );
    expect(document.querySelector('[data-places="note"]')?.textContent).toContain(
      "its group could not be kept, so only you can read it now",
    );
  });
});
