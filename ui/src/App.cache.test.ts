// Starting from the last list seen, and keeping it when the service cannot be reached.

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { PatList } from "./bindings/PatList";
import { clock } from "./lib/time";
import { deferred, folded, listing, names, pat, shell as shellWith } from "./testing/shell";

const cachedAt = new Date(Date.now() - 3 * 3_600_000);
const at = clock(cachedAt, new Date());
const old = pat("from-the-cache", 5);
const fresh = pat("fresh-from-the-service", 8);
const cached = listing([old], { cached: true, listedAt: cachedAt.toISOString() });
const offline = { code: "offline", message: "Azure DevOps cannot be reached: connection refused.", field: null };

afterEach(() => {
  cleanup();
  clearMocks();
});

describe("starting from the cache", () => {
  it("draws the last list at once and says it is refreshing, then shows the fresh one", async () => {
    const answer = deferred<PatList>();
    shellWith({ cached_list: () => cached, list_pats: () => answer.promise });
    render(App);

    await waitFor(() => expect(names()).toEqual(["from-the-cache"]));
    expect(screen.getByText(`Last list from ${at} · refreshing…`, folded)).toBeTruthy();

    answer.resolve(listing([fresh]));
    await waitFor(() => expect(names()).toEqual(["fresh-from-the-service"]));
    expect(screen.queryByText(/Last list from/)).toBeNull();
  });

  it("draws the list handed over with the page in its first render, without asking for it", async () => {
    const answer = deferred<PatList>();
    const calls = shellWith({ list_pats: () => answer.promise, list_drawn: () => null, kept_ids: () => [] });
    const page = window as unknown as Record<string, unknown>;
    page.__ADOPAT_FIRST_LIST__ = cached;
    render(App);

    expect(names()).toEqual(["from-the-cache"]);
    expect(screen.getByText(`Last list from ${at} · refreshing…`, folded)).toBeTruthy();
    expect(page.__ADOPAT_FIRST_LIST__).toBeUndefined();

    answer.resolve(listing([fresh]));
    await waitFor(() => expect(names()).toEqual(["fresh-from-the-service"]));
    expect(calls.map((c) => c.cmd)).not.toContain("cached_list");
  });

  it("ignores a cache that arrives after the fresh list", async () => {
    const late = deferred<PatList>();
    shellWith({ cached_list: () => late.promise, list_pats: () => listing([fresh]) });
    render(App);
    await waitFor(() => expect(names()).toEqual(["fresh-from-the-service"]));

    late.resolve(cached);
    await new Promise((settle) => setTimeout(settle, 10));
    expect(names()).toEqual(["fresh-from-the-service"]);
  });

  it("keeps the cached list when offline, says so, and tries again on request", async () => {
    let online = false;
    const calls = shellWith({
      cached_list: () => cached,
      list_pats: () => {
        if (!online) throw offline;
        return listing([fresh]);
      },
    });
    render(App);

    expect(await screen.findByText(`Offline: showing the list from ${at}`, folded)).toBeTruthy();
    expect(names()).toEqual(["from-the-cache"]);

    online = true;
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(names()).toEqual(["fresh-from-the-service"]));
    expect(screen.queryByText(/Offline/)).toBeNull();
    expect(calls.filter((c) => c.cmd === "list_pats")).toHaveLength(2);
  });

  it("names other failures plainly, still over the cached list", async () => {
    shellWith({
      cached_list: () => cached,
      list_pats: () => {
        throw { code: "signInRequired", message: "Not signed in. Sign in with `adopat login`.", field: null };
      },
    });
    render(App);

    expect(await screen.findByText(`Sign-in needed: showing the list from ${at}.`, { exact: false })).toBeTruthy();
    expect(screen.getByText(/adopat login/)).toBeTruthy();
    expect(names()).toEqual(["from-the-cache"]);
  });

  it("without a cache, an offline start is a full-page error with Try again", async () => {
    shellWith({
      cached_list: () => null,
      list_pats: () => {
        throw offline;
      },
    });
    render(App);
    expect(await screen.findByText("Azure DevOps cannot be reached")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
