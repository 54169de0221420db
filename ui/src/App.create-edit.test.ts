// Creating and editing PATs in one dialog, as on Azure DevOps' own page.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { CreatedView } from "./bindings/CreatedView";
import type { EditedView } from "./bindings/EditedView";
import { dateInput } from "./lib/time";
import { DAY, deferred, dialog, folded, listing, names, NO_PLACES, pat, rows, SCOPES, SECRET, shell, type Handlers } from "./testing/shell";

const existing = pat("nuget-feed", 20, {
  scopes: [
    { id: "vso.code", name: "Code (read)" },
    { id: "vso.packaging", name: "Packaging (read)" },
  ],
});
const expired = pat("old-one", -3, { status: "expired", urgency: "inactive" });
const ORGS = [
  { name: "contoso", account: "me@contoso.com" },
  { name: "fabrikam", account: "me@fabrikam.com" },
];

afterEach(() => {
  cleanup();
  clearMocks();
});

function field<T extends HTMLElement = HTMLInputElement>(name: string): T {
  const found = dialog().querySelector<T>(`[name="${name}"]`);
  if (!found) throw new Error(`no field named ${name}`);
  return found;
}

/** The note a field points at with aria-describedby: where its error shows. */
function noteOf(element: HTMLElement): string {
  const id = element.getAttribute("aria-describedby") ?? "";
  return document.getElementById(id)?.textContent?.trim() ?? "";
}

async function open(handlers: Handlers) {
  const calls = shell({
    list_pats: () => listing([existing, expired]),
    list_orgs: () => ORGS,
    list_scopes: () => SCOPES,
    ...handlers,
  });
  const view = render(App);
  await waitFor(() => expect(rows()).toHaveLength(2));
  await fireEvent.click(document.querySelector('[data-action="create"]')!);
  await waitFor(() => expect((field<HTMLSelectElement>("org")).disabled).toBe(false));
  await within(dialog()).findByText("Code");
  return { calls, ...view };
}

function created(name: string, overrides: Partial<CreatedView> = {}): CreatedView {
  return {
    pat: pat(name, 90, { orgs: ["fabrikam"] }),
    clearsInSeconds: 30,
    shortenedFrom: null,
    places: NO_PLACES,
    kept: null,
    renewError: null,
    ...overrides,
  };
}

/** A level's radio in one resource of the scope picker: "Read & write" is in several. */
function level(resource: string, label: string): HTMLInputElement {
  const group = within(dialog()).getByRole("group", { name: resource });
  return within(group).getByRole("radio", { name: new RegExp(`^${label}( high privilege)?$`) }) as HTMLInputElement;
}

const confirm = () => fireEvent.click(dialog().querySelector('[data-action="confirm"]')!);

describe("creating a PAT", () => {
  it("sends the form, hands the secret over on the clipboard, selects the new PAT and shows it without listing again", async () => {
    const made = created("deploy-bot");
    const { calls, container } = await open({
      list_pats: () => listing([existing, expired]),
      create_pat: () => made,
      reveal_secret: () => SECRET,
      clear_secret: () => null,
    });

    expect(within(dialog()).getByRole("heading").textContent).toBe("New personal access token");
    await fireEvent.input(field("name"), { target: { value: "  deploy-bot " } });
    await fireEvent.change(field<HTMLSelectElement>("org"), { target: { value: "fabrikam" } });
    await fireEvent.change(field<HTMLSelectElement>("expires"), { target: { value: "90d" } });
    expect(field<HTMLSelectElement>("expires").value).toBe("90d");
    await fireEvent.click(level("Code", "Read & write"));
    await fireEvent.click(within(dialog()).getByRole("checkbox", { name: /Status/ }));
    await confirm();

    await waitFor(() => expect(calls.some((c) => c.cmd === "create_pat")).toBe(true));
    expect(calls.find((c) => c.cmd === "create_pat")!.args).toEqual({
      request: { org: "fabrikam", name: "deploy-bot", scopes: ["vso.code_write", "vso.code_status"], expires: "90d" },
    });
    expect(await screen.findByText("Created “deploy-bot”")).toBeTruthy();
    expect(screen.getByText("New token copied to the clipboard; it is cleared in 30 s", folded)).toBeTruthy();
    expect(dialog().querySelector('[data-action="copy-again"]')).not.toBeNull();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(container.querySelector("section[data-pat-id]")?.getAttribute("data-pat-id")).toBe(made.pat.id);
    // The answer has the new PAT: its row joins the list without a request to every organization.
    expect(names()).toContain("deploy-bot");
    expect(calls.filter((c) => c.cmd === "list_pats")).toHaveLength(1);

    await fireEvent.click(dialog().querySelector('[data-action="reveal"]')!);
    await waitFor(() => expect(screen.getByDisplayValue(SECRET)).toBeTruthy());
  });

  it("asks for full access as app_token alone", async () => {
    const { calls } = await open({ create_pat: () => created("admin"), clear_secret: () => null });
    await fireEvent.input(field("name"), { target: { value: "admin" } });
    await fireEvent.click(within(dialog()).getByRole("radio", { name: /Full access/ }));
    expect(within(dialog()).queryByText("Code")).toBeNull();
    await confirm();
    await waitFor(() => expect(calls.some((c) => c.cmd === "create_pat")).toBe(true));
    expect(calls.find((c) => c.cmd === "create_pat")!.args).toMatchObject({
      request: { org: "contoso", scopes: ["app_token"], expires: "30d" },
    });
  });

  it("checks the form before sending, with each error next to its field", async () => {
    const { calls } = await open({});
    await fireEvent.change(field<HTMLSelectElement>("expires"), { target: { value: "custom" } });
    await fireEvent.input(field("expires-date"), { target: { value: dateInput(new Date(Date.now() - 2 * DAY)) } });
    await confirm();

    expect(noteOf(field("name"))).toBe("Give the PAT a name.");
    expect(noteOf(field("expires-date"))).toBe("That date is in the past; choose today or later.");
    expect(within(dialog()).getByRole("radiogroup", { name: "Access" }).getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("Choose at least one scope, or Full access.")).toBeTruthy();
    expect(document.activeElement).toBe(field("name"));
    expect(calls.some((c) => c.cmd === "create_pat")).toBe(false);
  });

  it("shows a refused field next to that field, and a policy refusal in plain words, keeping what was typed", async () => {
    let answer: unknown = { code: "invalidInput", message: "Give a shorter name", field: "name" };
    const { calls } = await open({
      create_pat: () => {
        throw answer;
      },
    });
    await fireEvent.input(field("name"), { target: { value: "a".repeat(300) } });
    await fireEvent.click(level("Packaging", "Read"));
    await confirm();
    await waitFor(() => expect(noteOf(field("name"))).toBe("Give a shorter name"));

    answer = { code: "refusedByPolicy", message: "Full-scope PATs are restricted in contoso.", field: null };
    await fireEvent.input(field("name"), { target: { value: "ci" } });
    await confirm();
    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("Refused by an organization policy.");
    expect(alert.textContent).toContain("Full-scope PATs are restricted in contoso.");
    expect(field("name").value).toBe("ci");
    expect(level("Packaging", "Read").checked).toBe(true);
    expect(calls.filter((c) => c.cmd === "create_pat")).toHaveLength(2);
  });

  it("is busy while the request runs", async () => {
    const answer = deferred<CreatedView>();
    await open({ create_pat: () => answer.promise, clear_secret: () => null });
    await fireEvent.input(field("name"), { target: { value: "slow" } });
    await fireEvent.click(within(dialog()).getByRole("radio", { name: /Full access/ }));
    await confirm();
    const button = dialog().querySelector<HTMLButtonElement>('[data-action="confirm"]')!;
    await waitFor(() => expect(button.textContent?.trim()).toBe("Creating…"));
    expect(button.disabled).toBe(true);
    expect(button.getAttribute("aria-busy")).toBe("true");

    answer.resolve(created("slow"));
    expect(await screen.findByText("Created “slow”")).toBeTruthy();
  });

  it("says plainly when the organization's policy shortened the expiry", async () => {
    const made = created("short", { shortenedFrom: new Date(Date.now() + 365 * DAY).toISOString() });
    await open({ create_pat: () => made, clear_secret: () => null });
    await fireEvent.input(field("name"), { target: { value: "short" } });
    await fireEvent.click(within(dialog()).getByRole("radio", { name: /Full access/ }));
    await confirm();
    await screen.findByText("Created “short”");
    expect(within(dialog()).getByText(/^The organization's policy shortened the expiry from .+ to .+\.$/)).toBeTruthy();
  });

  it("closes on Esc and gives focus back to New PAT", async () => {
    await open({});
    const opener = document.querySelector<HTMLElement>('[data-action="create"]')!;
    await fireEvent.keyDown(field("name"), { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });
});

describe("editing a PAT", () => {
  async function edit(handlers: Handlers) {
    const calls = shell({ list_pats: () => listing([existing, expired]), list_scopes: () => SCOPES, ...handlers });
    const view = render(App);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(rows()[1]!);
    await fireEvent.click(view.container.querySelector('section [data-action="edit"]')!);
    await within(dialog()).findByText("Code");
    return { calls, ...view };
  }

  it("is offered for active PATs only", async () => {
    shell({ list_pats: () => listing([existing, expired]) });
    const { container } = render(App);
    await waitFor(() => expect(rows()).toHaveLength(2));
    await fireEvent.click(rows()[0]!);
    expect(container.querySelector(`section[data-pat-id="${expired.id}"]`)).not.toBeNull();
    expect(container.querySelector('section [data-action="edit"]')).toBeNull();
  });

  it("starts from the PAT and sends only what changed", async () => {
    const renamed: EditedView = { pat: { ...existing, name: "nuget-feed-ci" }, shortenedFrom: null };
    const { calls } = await edit({ edit_pat: () => renamed });

    expect(dialog().dataset.patId).toBe(existing.id);
    expect(field("name").value).toBe("nuget-feed");
    expect(field<HTMLSelectElement>("org").disabled).toBe(true);
    expect(field<HTMLSelectElement>("expires").value).toBe("custom");
    expect(field("expires-date").value).toBe(dateInput(new Date(existing.validTo)));
    expect(level("Code", "Read").checked).toBe(true);
    expect(level("Packaging", "Read").checked).toBe(true);
    expect(level("Build", "None").checked).toBe(true);

    await fireEvent.input(field("name"), { target: { value: "nuget-feed-ci" } });
    await confirm();
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.cmd === "edit_pat")!.args).toEqual({ request: { id: existing.id, name: "nuget-feed-ci" } });
    expect(names()).toContain("nuget-feed-ci");
    expect(screen.getByText("Saved “nuget-feed-ci”.")).toBeTruthy();
  });

  it("sends new scopes and a new expiry, and tells of a shortened expiry", async () => {
    const edited: EditedView = {
      pat: { ...existing, validTo: new Date(Date.now() + 30 * DAY).toISOString() },
      shortenedFrom: new Date(Date.now() + 180 * DAY).toISOString(),
    };
    const { calls } = await edit({ edit_pat: () => edited });
    await fireEvent.click(level("Code", "Read & write"));
    await fireEvent.change(field<HTMLSelectElement>("expires"), { target: { value: "180d" } });
    await confirm();

    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls.find((c) => c.cmd === "edit_pat")!.args).toEqual({
      request: { id: existing.id, scopes: ["vso.code_write", "vso.packaging"], expires: "180d" },
    });
    expect(screen.getByText(/The organization's policy shortened the expiry from .+ to .+\./)).toBeTruthy();
  });

  it("says when nothing changed, sending nothing", async () => {
    const { calls } = await edit({});
    await confirm();
    expect(await within(dialog()).findByText("Nothing has changed yet.")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "edit_pat")).toBe(false);
  });
});
