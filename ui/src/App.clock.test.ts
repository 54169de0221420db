// "In 3 days" counts by Azure DevOps' clock, as the row's urgency does, even when this
// machine's clock is far off.

import { cleanup, render, waitFor } from "@testing-library/svelte";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, expect, it } from "vitest";
import App from "./App.svelte";
import { DAY, listing, names, pat, rows, shell } from "./testing/shell";

afterEach(() => {
  cleanup();
  clearMocks();
});

it("counts the time left by the service's clock, not the machine's", async () => {
  const ahead = 200 * DAY;
  const due = pat("due-by-the-service", 0, {
    validTo: new Date(Date.now() + ahead + 3 * DAY + 3_600_000).toISOString(),
    urgency: "soon",
  });
  shell({
    cached_list: () => null,
    list_pats: () => listing([due], { clockAheadMs: ahead }),
    kept_ids: () => [],
    list_drawn: () => null,
  });
  render(App);
  await waitFor(() => expect(names()).toEqual(["due-by-the-service"]));
  const text = rows()[0]?.textContent ?? "";
  expect(text).toMatch(/in 3 days/);
  expect(text).not.toMatch(/in 6 months|in 203 days/);
});
