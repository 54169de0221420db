// Sorting and the organization filter, next to the search.

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import { listing, names, pat, shell } from "./testing/shell";

const DAY = 86_400_000;
const build = pat("build-agent", 40, { orgs: ["fabrikam"], validFrom: new Date(Date.now() - 2 * DAY).toISOString() });
const feed = pat("artifacts-feed", 5, { orgs: ["contoso"], validFrom: new Date(Date.now() - 90 * DAY).toISOString() });
const everywhere = pat("cli-everywhere", 20, { orgs: ["contoso", "fabrikam"], global: true });

afterEach(() => {
  cleanup();
  clearMocks();
});

async function start() {
  shell({ list_pats: () => listing([build, feed, everywhere]) });
  render(App);
  await waitFor(() => expect(names()).toHaveLength(3));
}

describe("the toolbar", () => {
  it("sorts by expiry first, and by name, organization or creation on request", async () => {
    await start();
    expect(names()).toEqual(["artifacts-feed", "cli-everywhere", "build-agent"]);

    const sort = screen.getByLabelText("Sort by");
    await fireEvent.change(sort, { target: { value: "name" } });
    expect(names()).toEqual(["artifacts-feed", "build-agent", "cli-everywhere"]);

    await fireEvent.change(sort, { target: { value: "org" } });
    expect(names()).toEqual(["artifacts-feed", "cli-everywhere", "build-agent"]);

    await fireEvent.change(sort, { target: { value: "created" } });
    expect(names()).toEqual(["build-agent", "cli-everywhere", "artifacts-feed"]);
  });

  it("filters by an organization of the list, a global PAT counting in each", async () => {
    await start();
    const org = screen.getByLabelText("Organization") as HTMLSelectElement;
    expect([...org.options].map((o) => o.textContent)).toEqual(["All organizations", "contoso", "fabrikam"]);

    await fireEvent.change(org, { target: { value: "fabrikam" } });
    expect(names()).toEqual(["cli-everywhere", "build-agent"]);
    expect(screen.getByText("2 of 3 PATs", { exact: false })).toBeTruthy();

    await fireEvent.input(screen.getByLabelText("Search by name"), { target: { value: "build" } });
    expect(names()).toEqual(["build-agent"]);

    await fireEvent.input(screen.getByLabelText("Search by name"), { target: { value: "" } });
    await fireEvent.change(org, { target: { value: "" } });
    expect(names()).toHaveLength(3);
  });

  it("keeps the chosen organization across a refresh that drops its PATs, and says so", async () => {
    let pats = [build, feed];
    shell({ list_pats: () => listing(pats) });
    render(App);
    await waitFor(() => expect(names()).toHaveLength(2));
    const org = screen.getByLabelText("Organization") as HTMLSelectElement;
    await fireEvent.change(org, { target: { value: "fabrikam" } });
    expect(names()).toEqual(["build-agent"]);

    pats = [feed];
    await fireEvent.click(screen.getByRole("button", { name: "Refresh" }));
    expect(await screen.findByText("No active PATs in fabrikam")).toBeTruthy();
    expect(org.value).toBe("fabrikam");
    expect(screen.getByRole("button", { name: "New PAT" }).dataset.action).toBe("create");
  });
});
