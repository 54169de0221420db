// PATs that renew themselves, from the window: the toggle and its mode in a PAT's details,
// the mark in the list and the timeline, and the New PAT checkbox.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { CreatedView } from "./bindings/CreatedView";
import type { RenewsView } from "./bindings/RenewsView";
import { DAY, NO_PLACES, SCOPES, dialog, listing, pat, rows, shell, type Handlers } from "./testing/shell";

afterEach(() => {
  cleanup();
  clearMocks();
});

const renews = (mode: RenewsView["mode"], last: RenewsView["last"] = null): RenewsView => ({
  mode,
  before: "7d",
  due: new Date(Date.now() + 20 * DAY).toISOString(),
  last,
});

const feed = pat("nuget-feed", 27);
const ci = pat("ci", 40, { renews: renews("regenerate") });

function start(handlers: Handlers) {
  const calls = shell({ list_pats: () => listing([feed, ci]), ...handlers });
  render(App);
  return calls;
}

const notice = () => document.querySelector(".notice")!.textContent;

describe("renewing itself", () => {
  it("is marked in the list and the timeline, for a screen reader too", async () => {
    start({});
    await waitFor(() => expect(rows()).toHaveLength(2));
    const row = rows().find((r) => r.getAttribute("data-pat-id") === ci.id)!;
    expect(row.querySelector("[data-renews]")?.getAttribute("data-renews")).toBe("regenerate");
    expect(row.textContent).toContain("renews itself");
    const other = rows().find((r) => r.getAttribute("data-pat-id") === feed.id)!;
    expect(other.querySelector("[data-renews]")).toBeNull();
    const marks = [...document.querySelectorAll<HTMLButtonElement>("button.mark")].map((m) => m.getAttribute("aria-label"));
    expect(marks.find((m) => m?.startsWith("ci "))).toContain("renews itself");
    expect(marks.find((m) => m?.startsWith("nuget-feed "))).not.toContain("renews");
  });

  it("turns on and off in the details, changes its mode, and says why when it cannot", async () => {
    let fail = false;
    const calls = start({
      set_renewal: (args) => {
        if (fail) throw { code: "invalidInput", message: "PATs renew themselves for your own accounts only, not in the demo", field: "demo" };
        const { on, mode } = args as { on: boolean; mode: RenewsView["mode"] | null };
        return on ? renews(mode ?? "regenerate") : null;
      },
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(rows().find((r) => r.getAttribute("data-pat-id") === feed.id)!);
    const box = () => document.querySelector<HTMLInputElement>('.details [data-action="renew"]')!;
    expect(box().checked).toBe(false);
    expect(document.querySelector('[data-action="renew-mode"]')).toBeNull();

    await fireEvent.click(box());
    await waitFor(() => expect(notice()).toContain("“nuget-feed” renews itself 7d before it expires"));
    expect(calls.find((c) => c.cmd === "set_renewal")!.args).toEqual({ id: feed.id, on: true, mode: null });
    const row = rows().find((r) => r.getAttribute("data-pat-id") === feed.id)!;
    expect(row.querySelector("[data-renews]")).not.toBeNull();

    const mode = document.querySelector<HTMLSelectElement>('[data-action="renew-mode"]')!;
    await fireEvent.change(mode, { target: { value: "extend" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "set_renewal")).toHaveLength(2));
    expect(calls.filter((c) => c.cmd === "set_renewal")[1]!.args).toEqual({ id: feed.id, on: true, mode: "extend" });

    await fireEvent.click(box());
    await waitFor(() => expect(notice()).toBe("“nuget-feed” no longer renews itself."));

    fail = true;
    await fireEvent.click(box());
    await waitFor(() => expect(notice()).toBe("Not changed: PATs renew themselves for your own accounts only, not in the demo"));
    expect(box().checked).toBe(false);
  });

  it("shows what the last renewal did, a failure apart", async () => {
    const failed = pat("feed", 5, {
      renews: renews("regenerate", { at: new Date().toISOString(), ok: false, said: "Could not renew 'feed' (contoso): refused by policy" }),
    });
    start({ list_pats: () => listing([failed]) });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    const last = document.querySelector("[data-renewal='last']")!;
    expect(last.textContent).toContain("refused by policy");
    expect(last.classList.contains("failed")).toBe(true);
  });

  it("is offered to a global PAT not at all: its replacement needs an organization", async () => {
    const global = pat("everywhere", 20, { global: true, orgs: ["contoso", "fabrikam"] });
    start({ list_pats: () => listing([global]) });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    expect(document.querySelector('.details [data-action="renew"]')).toBeNull();
  });

  it("can be asked for in New PAT", async () => {
    const made: CreatedView = {
      pat: pat("deploy-bot", 30, { renews: renews("regenerate") }),
      clearsInSeconds: 30,
      shortenedFrom: null,
      places: NO_PLACES,
      kept: null,
      renewError: null,
    };
    const calls = start({
      list_orgs: () => [{ name: "contoso", account: "me" }],
      list_scopes: () => SCOPES,
      create_pat: () => made,
      clear_secret: () => null,
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(document.querySelector('[data-action="create"]')!);
    await within(dialog()).findByText("Code");
    await fireEvent.input(dialog().querySelector('[name="name"]')!, { target: { value: "deploy-bot" } });
    const code = within(dialog()).getByRole("group", { name: "Code" });
    await fireEvent.click(within(code).getByRole("radio", { name: /^Read( high privilege)?$/ }));
    await fireEvent.click(within(dialog()).getByRole("checkbox", { name: /^Renew it automatically/ }));
    await fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_pat")).toBe(true));
    expect((calls.find((c) => c.cmd === "create_pat")!.args as { request: { renew?: boolean } }).request.renew).toBe(true);
    await screen.findByText("Created “deploy-bot”");
  });
});
