import { describe, expect, it } from "vitest";
import { pat } from "../testing/shell";
import { indexRows } from "./arrange";
import { MAX_LANES, markLabel, marks, monthTicks } from "./timeline";

const DAY = 86_400_000;

describe("marks", () => {
  it("places active PATs expiring within 90 days, on lanes where they would overlap", () => {
    const now = Date.now();
    const rows = indexRows([
      pat("a", 10),
      pat("b", 10.2),
      pat("c", 10.4),
      pat("d", 45),
      pat("far", 120),
      pat("gone", -2),
      pat("revoked", 20, { status: "revoked" }),
    ]);
    const placed = marks(rows, now);
    expect(placed.map((m) => [m.row.pat.name, m.lane])).toEqual([
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 0],
    ]);
    expect(placed[3]!.at).toBeCloseTo(50, 0);
  });

  it("puts PATs beyond the last lane behind the mark they would cover, and says so", () => {
    const now = Date.now();
    const crowd = Array.from({ length: 1_000 }, (_, i) => pat(`p${i}`, 10 + i / 10_000));
    const placed = marks(indexRows(crowd), now);
    expect(placed).toHaveLength(MAX_LANES);
    expect(Math.max(...placed.map((m) => m.lane))).toBe(MAX_LANES - 1);
    const shown = placed.reduce((sum, m) => sum + 1 + m.more.length, 0);
    expect(shown).toBe(1_000);
    const crowded = placed.find((m) => m.more.length > 0)!;
    expect(crowded.label).toMatch(new RegExp(`and ${crowded.more.length} more about then$`));
  });

  it("says who, where and when", () => {
    const now = Date.now();
    const [one, global] = indexRows([
      pat("nuget-feed", 3, { orgs: ["contoso"] }),
      pat("everywhere", 1, { global: true, orgs: ["contoso", "fabrikam"] }),
    ]);
    expect(markLabel(one!, now)).toBe("nuget-feed (contoso) expires in 3 days");
    expect(markLabel(global!, now)).toBe("everywhere (all organizations) expires in 1 day");
  });
});

describe("monthTicks", () => {
  it("marks the first of each month in the window, with the year at January", () => {
    const ticks = monthTicks(new Date(2026, 10, 28, 12), "en-US");
    // December begins 2.5 days on, where "today" is written: marked, not labelled.
    expect(ticks.map((t) => t.label)).toEqual(["", "Jan 2027", "Feb"]);
    expect(ticks[0]!.at).toBeCloseTo(((2.5 * DAY) / (90 * DAY)) * 100, 0);
  });
});
