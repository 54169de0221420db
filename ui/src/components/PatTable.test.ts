// The list alone: which rows it draws for a long list and for a usual one.

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { PatView } from "../bindings/PatView";
import { pat, rows } from "../testing/shell";
import PatTable, { DRAW_ALL_UP_TO, ROW_HEIGHT } from "./PatTable.svelte";

const many = (count: number) => Array.from({ length: count }, (_, i) => pat(`pat-${String(i).padStart(5, "0")}`, 10 + i));

/** The table as App uses it: selecting sets selectedId. */
function table(pats: PatView[], selectedId: string | null = null) {
  const view = render(PatTable, {
    props: { pats, selectedId, now: new Date(), onselect: (id: string) => void view.rerender({ selectedId: id }) },
  });
  return { ...view, listbox: screen.getByRole("listbox") };
}

const drawn = () => rows().map((row) => Number(row.getAttribute("aria-posinset")) - 1);
const selected = () => rows().filter((row) => row.getAttribute("aria-selected") === "true");
const tabStops = () => rows().filter((row) => row.tabIndex === 0);
/** The one tab stop of the list is this very element. */
const onlyTabStop = (row: Element | null | undefined) => {
  expect(tabStops()).toHaveLength(1);
  expect(tabStops()[0]).toBe(row);
};

afterEach(cleanup);

// jsdom has no layout: the list takes an 800 px viewport, 16 rows of 52 px.
const BOUND = Math.ceil(800 / ROW_HEIGHT) + 1 + 2 * 10 + 1;

describe("a long list", () => {
  const pats = many(5000);

  it("draws only the rows in view, and says how many it holds", () => {
    const { listbox } = table(pats);
    expect(listbox.dataset.count).toBe("5000");
    expect(rows().length).toBeLessThanOrEqual(BOUND);
    expect(drawn()[0]).toBe(0);
    expect(rows()[0]!.getAttribute("aria-setsize")).toBe("5000");
    expect(rows()[0]!.getAttribute("aria-posinset")).toBe("1");
    expect(rows()[0]!.dataset.patId).toBe(pats[0]!.id);
    onlyTabStop(rows()[0]);
    // The scrollbar is the whole list's.
    const extent = listbox.querySelector<HTMLElement>("[aria-hidden=true]");
    expect(extent?.style.height).toBe(`${5000 * ROW_HEIGHT}px`);
  });

  it("follows the arrow keys, End and Home, drawing and focusing the row it moves to", async () => {
    const { listbox } = table(pats);
    await fireEvent.keyDown(rows()[0]!, { key: "ArrowDown" });
    expect(selected().map((row) => row.dataset.patId)).toEqual([pats[1]!.id]);
    expect(document.activeElement).toBe(selected()[0]);

    await fireEvent.keyDown(selected()[0]!, { key: "End" });
    const last = document.getElementById(`pat-${pats[4999]!.id}`);
    expect(last?.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(last);
    expect(listbox.scrollTop).toBe(5000 * ROW_HEIGHT - 800);
    expect(drawn()).toContain(4999);
    expect(rows().length).toBeLessThanOrEqual(BOUND);
    onlyTabStop(last);

    await fireEvent.keyDown(last!, { key: "ArrowUp" });
    expect(document.activeElement?.getAttribute("data-pat-id")).toBe(pats[4998]!.id);

    await fireEvent.keyDown(document.activeElement!, { key: "Home" });
    expect(document.activeElement?.getAttribute("data-pat-id")).toBe(pats[0]!.id);
    expect(listbox.scrollTop).toBe(0);
    expect(drawn()[0]).toBe(0);
  });

  it("draws the rows scrolled to, and keeps the selected row as the one tab stop", async () => {
    const { listbox } = table(pats, pats[2]!.id);
    const focused = document.getElementById(`pat-${pats[2]!.id}`)!;
    focused.focus();
    listbox.scrollTop = 2000 * ROW_HEIGHT;
    await fireEvent.scroll(listbox);
    await waitFor(() => expect(drawn()).toContain(2000));
    expect(rows().length).toBeLessThanOrEqual(BOUND + 1);
    expect(rows().find((row) => drawn()[rows().indexOf(row)] === 2000)?.style.top).toBe(`${2000 * ROW_HEIGHT}px`);
    // Scrolled away, the selected row is still drawn, first, so Tab still reaches the list,
    // and the same element, so focus stays on it.
    expect(drawn()[0]).toBe(2);
    onlyTabStop(focused);
    expect(document.activeElement).toBe(focused);
  });

  it("brings a row selected from elsewhere into view", async () => {
    const { listbox, rerender } = table(pats);
    await rerender({ selectedId: pats[3000]!.id });
    expect(drawn()).toContain(3000);
    expect(listbox.scrollTop).toBe(3001 * ROW_HEIGHT - 800);
    expect(selected().map((row) => row.dataset.patId)).toEqual([pats[3000]!.id]);
  });

  it("starts another search at the top, and keeps the place when the same list is refreshed", async () => {
    const { listbox, rerender } = table(pats);
    listbox.scrollTop = 1000 * ROW_HEIGHT;
    await fireEvent.scroll(listbox);
    await waitFor(() => expect(drawn()).toContain(1000));

    await rerender({ pats: pats.slice(0, 4000) });
    expect(listbox.scrollTop).toBe(1000 * ROW_HEIGHT);
    expect(drawn()).toContain(1000);

    // Shorter than the offset: its last rows, as the browser clamps the offset.
    await rerender({ pats: pats.slice(0, 800) });
    expect(drawn()).toContain(799);
    expect(drawn()).not.toContain(1000);
    expect(rows().length).toBeLessThanOrEqual(BOUND);

    await rerender({ pats: pats.filter((_, i) => i % 10 === 5) });
    expect(listbox.scrollTop).toBe(0);
    expect(listbox.dataset.count).toBe("500");
    expect(drawn()[0]).toBe(0);
    expect(rows()[0]!.dataset.patId).toBe(pats[5]!.id);
  });

  it("fills the same row elements with the PATs of a new search", async () => {
    const { rerender } = table(pats);
    const before = rows();
    await rerender({ pats: pats.filter((_, i) => i % 10 === 5) });
    // All but the tab stop (the first row here), which keeps an element of its own.
    const after = rows();
    expect(after).toHaveLength(before.length);
    expect(after.slice(1).every((row, i) => row === before[i + 1])).toBe(true);
    expect(rows().map((row) => row.dataset.patId)).toEqual(before.map((_, i) => pats[i * 10 + 5]!.id));
    expect(rows()[1]!.querySelector(".text")?.textContent).toBe(pats[15]!.name);
  });
});

describe("a list of usual size", () => {
  it(`draws every row up to ${DRAW_ALL_UP_TO}, in the page's flow`, () => {
    const pats = many(100);
    const { listbox } = table(pats);
    expect(rows().map((row) => row.dataset.patId)).toEqual(pats.map((p) => p.id));
    expect(listbox.dataset.count).toBe("100");
    expect(rows()[99]!.style.top).toBe("");
    expect(listbox.querySelector("[aria-hidden=true]")).toBeNull();
  });

  it("draws all of a list at the threshold, and windows one row more", () => {
    const { rerender } = table(many(DRAW_ALL_UP_TO));
    expect(rows()).toHaveLength(DRAW_ALL_UP_TO);
    return rerender({ pats: many(DRAW_ALL_UP_TO + 1) }).then(() => {
      expect(rows().length).toBeLessThanOrEqual(BOUND);
    });
  });
});
