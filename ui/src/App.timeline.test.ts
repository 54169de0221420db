// The expiry timeline above the list: what is due in the next 90 days, and choosing it.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { listing, names, pat, shell } from "./testing/shell";

const nuget = pat("nuget-feed", 3);
const twin = pat("nuget-feed-2", 3.1, { orgs: ["fabrikam"] });
const build = pat("build-agent", 45, { orgs: ["fabrikam"] });
const later = pat("yearly", 200);
const expired = pat("old", -5, { status: "expired", urgency: "inactive" });

afterEach(() => {
  cleanup();
  clearMocks();
});

function timeline(): HTMLElement {
  return screen.getByRole("region", { name: "Expiries in the next 90 days" });
}

function marks(): HTMLButtonElement[] {
  return within(timeline()).queryAllByRole("button") as HTMLButtonElement[];
}

describe("the expiry timeline", () => {
  it("marks each active PAT due in 90 days, coloured by urgency, with who and when", async () => {
    shell({ list_pats: () => listing([nuget, twin, build, later, expired]) });
    render(App);
    await waitFor(() => expect(marks()).toHaveLength(3));

    const first = within(timeline()).getByRole("button", { name: "nuget-feed (contoso) expires in 3 days" });
    expect(first.title).toBe("nuget-feed (contoso) expires in 3 days");
    expect(first.classList).toContain("mark-soon");
    expect(within(timeline()).getByRole("button", { name: "build-agent (fabrikam) expires in 45 days" }).classList).toContain(
      "mark-fine",
    );
    expect(timeline().textContent).toContain("today");
  });

  it("stacks marks that would overlap, so each can still be chosen", async () => {
    shell({ list_pats: () => listing([nuget, twin]) });
    render(App);
    await waitFor(() => expect(marks()).toHaveLength(2));
    const [a, b] = marks();
    expect(a!.style.top).not.toBe(b!.style.top);
  });

  it("selects the PAT of a chosen mark, and the arrow keys move along the marks", async () => {
    shell({ list_pats: () => listing([nuget, twin, build]) });
    const { container } = render(App);
    await waitFor(() => expect(marks()).toHaveLength(3));

    await fireEvent.click(marks()[2]!);
    expect(container.querySelector("section[data-pat-id]")?.getAttribute("data-pat-id")).toBe(build.id);
    expect(marks()[2]!.getAttribute("aria-current")).toBe("true");
    expect(marks()[2]!.tabIndex).toBe(0);

    marks()[2]!.focus();
    await fireEvent.keyDown(marks()[2]!, { key: "ArrowLeft" });
    expect(document.activeElement).toBe(marks()[1]);
  });

  it("follows the search and the organization filter", async () => {
    shell({ list_pats: () => listing([nuget, twin, build]) });
    render(App);
    await waitFor(() => expect(marks()).toHaveLength(3));
    await fireEvent.change(screen.getByLabelText("Organization"), { target: { value: "fabrikam" } });
    expect(marks()).toHaveLength(2);
    expect(names()).toEqual(["nuget-feed-2", "build-agent"]);
  });

  it("says when nothing is due", async () => {
    shell({ list_pats: () => listing([later, expired]) });
    render(App);
    expect(await screen.findByText("Nothing expires in the next 90 days")).toBeTruthy();
    expect(marks()).toHaveLength(0);
  });
});
