// Global PATs: the retirement badge, and replacing one with a PAT per organization.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { CreateRequest } from "./bindings/CreateRequest";
import type { CreatedView } from "./bindings/CreatedView";
import { DAY, dialog, folded, listing, NO_PLACES, pat, rows, shell, STOPPED, type Handlers } from "./testing/shell";

const global = pat("cli-everywhere", 40, {
  orgs: ["contoso", "fabrikam", "tailspin"],
  global: true,
  scopes: [
    { id: "vso.code", name: "Code (read)" },
    { id: "vso.work", name: "Work items (read)" },
  ],
  validFrom: new Date(Date.now() - 50 * DAY).toISOString(),
});
const ORGS = ["contoso", "fabrikam", "tailspin"].map((name) => ({ name, account: "me@example.com" }));

afterEach(() => {
  cleanup();
  clearMocks();
});

function createdIn(request: CreateRequest): CreatedView {
  return {
    pat: pat(request.name, 90, { orgs: [request.org] }),
    clearsInSeconds: 45,
    shortenedFrom: null,
    places: NO_PLACES,
    kept: null,
  };
}

async function start(handlers: Handlers) {
  const calls = shell({
    list_pats: () => listing([global]),
    list_orgs: () => ORGS,
    clear_secret: () => null,
    revoke_pat: () => ({ ...global, status: "revoked", state: "revoked", stateLabel: "revoked", urgency: "inactive" }),
    ...handlers,
  });
  const view = render(App);
  await waitFor(() => expect(rows()).toHaveLength(1));
  await fireEvent.click(rows()[0]!);
  return { calls, ...view };
}

const press = (action: string) => fireEvent.click(dialog().querySelector(`[data-action="${action}"]`)!);
const creates = (calls: { cmd: string; args: unknown }[]) =>
  calls.filter((c) => c.cmd === "create_pat").map((c) => (c.args as { request: CreateRequest }).request);

describe("a global PAT", () => {
  it("carries its retirement date, as core words it, in the row and the details", async () => {
    const { container } = await start({});
    expect(rows()[0]!.textContent).toContain("All organizations: stops working on 1 December 2026");
    const details = container.querySelector(`section[data-pat-id="${global.id}"]`)!;
    expect(details.textContent).toContain("All organizations: stops working on 1 December 2026");
    cleanup();
    clearMocks();
    const stopped = { ...global, globalNotice: STOPPED, state: "retired" as const, stateLabel: "stopped working" };
    shell({ list_pats: () => listing([stopped]) });
    render(App);
    await waitFor(() => expect(rows()[0]!.textContent).toContain(`All organizations: ${STOPPED}`));
    // Listed as active by the service, but it no longer works: the status says so.
    expect(rows()[0]!.textContent).toContain("stopped working");
    expect(rows()[0]!.textContent).not.toMatch(/\bactive\b/i);
    expect(within(details as HTMLElement).getByRole("button", { name: "Replace with per-organization PATs" }).dataset.action).toBe(
      "replace",
    );
  });

  it("is replaced one organization at a time, each copied in turn, then revoked", async () => {
    const { calls, container } = await start({ create_pat: (args) => createdIn((args as { request: CreateRequest }).request) });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });

    // Unchecked organizations get no PAT; the expiry keeps the PAT's lifetime (90 days).
    await fireEvent.click(within(dialog()).getByRole("checkbox", { name: /fabrikam/ }));
    expect(dialog().querySelector<HTMLSelectElement>('[name="expires"]')!.value).toBe("90d");
    await press("confirm");

    expect(
      await screen.findByText("Copied the new PAT for contoso to the clipboard. Paste it where it is needed, then Next", folded),
    ).toBeTruthy();
    expect(screen.getByText("1 of 2 made")).toBeTruthy();
    expect(dialog().querySelector('[data-action="copy-again"]')).not.toBeNull();
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);

    await press("confirm");
    expect(
      await screen.findByText("Copied the new PAT for tailspin to the clipboard. Paste it where it is needed, then Next", folded),
    ).toBeTruthy();
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);

    await press("confirm");
    expect(await screen.findByText(/The global PAT “cli-everywhere” is revoked\./)).toBeTruthy();
    expect(creates(calls)).toEqual([
      { org: "contoso", name: "cli-everywhere", scopes: ["vso.code", "vso.work"], expires: "90d" },
      { org: "tailspin", name: "cli-everywhere", scopes: ["vso.code", "vso.work"], expires: "90d" },
    ]);
    expect(calls.find((c) => c.cmd === "revoke_pat")!.args).toEqual({ id: global.id });

    await press("cancel");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.some((c) => c.cmd === "clear_secret")).toBe(true);
    expect(screen.getByText("Replaced the global PAT “cli-everywhere” with PATs for contoso, tailspin.")).toBeTruthy();
  });

  it("stops at a failure without revoking, says what was made, and retries the rest", async () => {
    let failing = true;
    const { calls, container } = await start({
      create_pat: (args) => {
        const request = (args as { request: CreateRequest }).request;
        if (request.org === "fabrikam" && failing) {
          throw { code: "refusedByPolicy", message: "PAT creation is restricted in fabrikam.", field: null };
        }
        return createdIn(request);
      },
    });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    await screen.findByText(/Copied the new PAT for contoso/);
    await press("confirm");

    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("The PAT for fabrikam could not be made: PAT creation is restricted in fabrikam.");
    expect(alert.textContent).toContain("New PATs were made for contoso. The global PAT still works: it was not revoked.");
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);

    failing = false;
    await press("confirm");
    await screen.findByText(/Copied the new PAT for fabrikam/);
    await press("confirm");
    await screen.findByText(/Copied the new PAT for tailspin/);
    await press("confirm");
    expect(await screen.findByText(/The global PAT “cli-everywhere” is revoked\./)).toBeTruthy();
    expect(creates(calls).map((r) => r.org)).toEqual(["contoso", "fabrikam", "fabrikam", "tailspin"]);
  });

  it("offers the PAT's own lifetime when no preset matches it", async () => {
    const odd = { ...global, validFrom: new Date(Date.now() - 60 * DAY).toISOString(), lifetimeDays: 100 };
    shell({ list_pats: () => listing([odd]), list_orgs: () => ORGS });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await fireEvent.click(rows()[0]!);
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    const expires = dialog().querySelector<HTMLSelectElement>('[name="expires"]')!;
    expect(expires.value).toBe("100d");
    expect(expires.selectedOptions[0]!.textContent).toBe("Same lifetime as now (100 days)");
  });

  it("says the global PAT still works when it is left before the end", async () => {
    const { calls, container } = await start({ create_pat: (args) => createdIn((args as { request: CreateRequest }).request) });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    await screen.findByText(/Copied the new PAT for contoso/);
    await fireEvent.keyDown(dialog(), { key: "Escape" });

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByText("New PATs were made for contoso. The global PAT “cli-everywhere” still works: it was not revoked.")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);
  });
});
