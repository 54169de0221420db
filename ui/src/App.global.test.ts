// Global PATs: the retirement badge, and replacing one with a PAT per organization.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { Place } from "./bindings/Place";
import type { ReplaceGlobalRequest } from "./bindings/ReplaceGlobalRequest";
import type { ReplacedView } from "./bindings/ReplacedView";
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

/** What Rust answers: a PAT for each organization asked, up to `failAt`; the global PAT
 * revoked when all were made, unless `revokeError` says why not. */
function replacedIn(
  request: ReplaceGlobalRequest,
  { failAt = null, revokeError = null, updated = [] }: { failAt?: string | null; revokeError?: string | null; updated?: Place[] } = {},
): ReplacedView {
  const stop = failAt === null ? request.orgs.length : request.orgs.indexOf(failAt);
  const made = request.orgs.slice(0, stop).map((org) => ({
    pat: pat("cli-everywhere", 90, { orgs: [org] }),
    shortenedFrom: null,
    kept: null,
  }));
  const failed = failAt === null ? null : { org: failAt, error: { code: "refusedByPolicy" as const, message: `PAT creation is restricted in ${failAt}.`, field: null } };
  const oldRevoked = failed === null && revokeError === null;
  return {
    made,
    failed,
    clearsInSeconds: 45,
    oldRevoked,
    replaced: oldRevoked ? { ...global, status: "revoked", state: "revoked", stateLabel: "revoked", urgency: "inactive" } : global,
    oldRevokeError: revokeError ? { code: "other", message: revokeError, field: null } : null,
    places: { ...NO_PLACES, updated },
  };
}
const replaced = (args: unknown) => replacedIn((args as { request: ReplaceGlobalRequest }).request);

async function start(handlers: Handlers) {
  const calls = shell({
    list_pats: () => listing([global]),
    list_orgs: () => ORGS,
    clear_secret: () => null,
    revoke_pat: () => ({ ...global, status: "revoked", state: "revoked", stateLabel: "revoked", urgency: "inactive" }),
    copy_replacement: () => ({ clearsInSeconds: 45 }),
    ...handlers,
  });
  const view = render(App);
  await waitFor(() => expect(rows()).toHaveLength(1));
  await fireEvent.click(rows()[0]!);
  return { calls, ...view };
}

const press = (action: string) => fireEvent.click(dialog().querySelector(`[data-action="${action}"]`)!);
const asked = (calls: { cmd: string; args: unknown }[]) =>
  calls.filter((c) => c.cmd === "replace_global").map((c) => (c.args as { request: ReplaceGlobalRequest }).request);
const copies = (calls: { cmd: string; args: unknown }[]) => calls.filter((c) => c.cmd === "copy_replacement").map((c) => c.args);

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

  it("is replaced by Rust in one call, then each new PAT is copied in turn", async () => {
    const { calls, container } = await start({ replace_global: replaced });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });

    // Unchecked organizations get no PAT; the expiry keeps the PAT's lifetime (90 days).
    await fireEvent.click(within(dialog()).getByRole("checkbox", { name: /fabrikam/ }));
    expect(dialog().querySelector<HTMLSelectElement>('[name="expires"]')!.value).toBe("90d");
    await press("confirm");

    expect(
      await screen.findByText("Copied the new PAT for contoso to the clipboard (1 of 2). Paste it where it is needed, then Next", folded),
    ).toBeTruthy();
    expect(screen.getByText("2 of 2 made")).toBeTruthy();
    expect(dialog().querySelector('[data-action="copy-again"]')).not.toBeNull();
    // One operation: the page neither loops over creates nor revokes.
    expect(asked(calls)).toEqual([{ id: global.id, orgs: ["contoso", "tailspin"], expires: "90d" }]);

    await press("confirm");
    expect(
      await screen.findByText("Copied the new PAT for tailspin to the clipboard (2 of 2). Paste it where it is needed, then Next", folded),
    ).toBeTruthy();
    expect(copies(calls)).toEqual([{ index: 1 }]);

    await press("confirm");
    expect(await screen.findByText(/The global PAT “cli-everywhere” is revoked\./)).toBeTruthy();
    expect(calls.some((c) => c.cmd === "revoke_pat" || c.cmd === "create_pat")).toBe(false);

    await press("cancel");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.some((c) => c.cmd === "clear_secret")).toBe(true);
    expect(screen.getByText("Replaced the global PAT “cli-everywhere” with PATs for contoso, tailspin.")).toBeTruthy();
  });

  it("names the places that got a new PAT and those that did not", async () => {
    const npm: Place = {
      kind: "npm",
      file: "/home/me/.npmrc",
      entry: "//pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/",
      host: "pkgs.dev.azure.com",
      org: "contoso",
      pat: null,
      works: null,
    };
    const { container } = await start({
      replace_global: (args) => ({
        ...replacedIn((args as { request: ReplaceGlobalRequest }).request, { updated: [npm] }),
        places: {
          ...NO_PLACES,
          updated: [npm],
          notUpdated: [{ ...npm, file: "/home/me/work/.npmrc", reason: "is read-only, so it was not written" }],
        },
      }),
    });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    await screen.findByText(/Copied the new PAT for contoso/);
    const text = (selector: string) => dialog().querySelector(selector)!.textContent!.replace(/\s+/g, " ");
    expect(text('[data-places="updated"]')).toContain(
      "Put into the place that used the global PAT, each with the PAT of its organization: npm //pkgs.dev.azure.com/contoso/_packaging/web/npm/registry/ in /home/me/.npmrc",
    );
    expect(text('[data-places="not-updated"]')).toContain("in /home/me/work/.npmrc: is read-only, so it was not written");
  });

  it("stops at a failure without revoking, hands over what was made, and retries the rest", async () => {
    let failing = true;
    const { calls, container } = await start({
      replace_global: (args) => {
        const request = (args as { request: ReplaceGlobalRequest }).request;
        return replacedIn(request, { failAt: failing && request.orgs.includes("fabrikam") ? "fabrikam" : null });
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

    failing = false;
    await press("confirm");
    await screen.findByText(/Copied the new PAT for fabrikam to the clipboard \(2 of 3\)/);
    await press("confirm");
    await screen.findByText(/Copied the new PAT for tailspin/);
    await press("confirm");
    expect(await screen.findByText(/The global PAT “cli-everywhere” is revoked\./)).toBeTruthy();
    expect(asked(calls).map((r) => r.orgs)).toEqual([
      ["contoso", "fabrikam", "tailspin"],
      ["fabrikam", "tailspin"],
    ]);
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);
  });

  it("says nothing was made when the first PAT is refused", async () => {
    const { container } = await start({
      replace_global: () => {
        throw { code: "refusedByPolicy", message: "PAT creation is restricted in contoso.", field: null };
      },
    });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("The PAT for contoso could not be made: PAT creation is restricted in contoso.");
    expect(alert.textContent).toContain("No new PAT was made. The global PAT still works");
  });

  it("says the global PAT still works when it could not be revoked, and tries again", async () => {
    const { calls, container } = await start({
      replace_global: (args) =>
        replacedIn((args as { request: ReplaceGlobalRequest }).request, { revokeError: "The service did not answer." }),
    });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    for (const org of ["contoso", "fabrikam", "tailspin"]) {
      await screen.findByText(new RegExp(`Copied the new PAT for ${org}`));
      await press("confirm");
    }
    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("The global PAT could not be revoked, so it still works: The service did not answer.");
    expect(calls.some((c) => c.cmd === "revoke_pat")).toBe(false);

    await press("confirm");
    expect(await screen.findByText(/The global PAT “cli-everywhere” is revoked\./)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "revoke_pat")!.args).toEqual({ id: global.id });
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
    const { container } = await start({
      replace_global: (args) => replacedIn((args as { request: ReplaceGlobalRequest }).request, { failAt: "fabrikam" }),
    });
    await fireEvent.click(container.querySelector('section [data-action="replace"]')!);
    await within(dialog()).findByRole("checkbox", { name: /tailspin/ });
    await press("confirm");
    await screen.findByText(/Copied the new PAT for contoso/);
    await fireEvent.keyDown(dialog(), { key: "Escape" });

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(screen.getByText("New PATs were made for contoso. The global PAT “cli-everywhere” still works: it was not revoked.")).toBeTruthy();
  });
});
