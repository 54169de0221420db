import { describe, expect, it } from "vitest";
import { scrollToShow, visibleRange } from "./viewport";

const view = (scrollTop: number, height = 520) => ({ scrollTop, height, rowHeight: 52 });

describe("visibleRange", () => {
  it("is empty for an empty list", () => {
    expect(visibleRange(view(0), 0, 10)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(view(400), 0, 10)).toEqual({ start: 0, end: 0 });
  });

  it("draws every row of a list shorter than the viewport", () => {
    expect(visibleRange(view(0), 4, 10)).toEqual({ start: 0, end: 4 });
    expect(visibleRange(view(0), 4, 0)).toEqual({ start: 0, end: 4 });
  });

  it("draws the rows in view and the overscan on both sides", () => {
    // 520 px from 1,040 px: rows 20 to 29 in view.
    expect(visibleRange(view(1040), 5000, 0)).toEqual({ start: 20, end: 30 });
    expect(visibleRange(view(1040), 5000, 10)).toEqual({ start: 10, end: 40 });
  });

  it("counts a row cut at either edge as in view", () => {
    expect(visibleRange(view(1066), 5000, 0)).toEqual({ start: 20, end: 31 });
  });

  it("stops the overscan at the top", () => {
    expect(visibleRange(view(0), 5000, 10)).toEqual({ start: 0, end: 20 });
  });

  it("draws the last rows when scrolled to the end", () => {
    const end = 5000 * 52 - 520;
    expect(visibleRange(view(end), 5000, 10)).toEqual({ start: 4980, end: 5000 });
  });

  it("draws the last screenful when the offset is past the end of a list that shrank", () => {
    expect(visibleRange(view(200_000), 500, 10)).toEqual({ start: 480, end: 500 });
    expect(visibleRange(view(200_000), 3, 10)).toEqual({ start: 0, end: 3 });
  });

  it("treats a negative offset (elastic overscroll) as the top", () => {
    expect(visibleRange(view(-80), 5000, 0)).toEqual({ start: 0, end: 10 });
  });

  it("draws at least one row in a viewport with no height", () => {
    expect(visibleRange(view(520, 0), 5000, 0)).toEqual({ start: 10, end: 11 });
  });
});

describe("scrollToShow", () => {
  it("leaves the offset alone when the row is already whole in view", () => {
    expect(scrollToShow(view(1040), 20)).toBe(1040);
    expect(scrollToShow(view(1040), 29)).toBe(1040);
  });

  it("brings a row above the view to the top", () => {
    expect(scrollToShow(view(1040), 5)).toBe(260);
    expect(scrollToShow(view(1040), 0)).toBe(0);
    // Cut at the top edge.
    expect(scrollToShow(view(1050), 20)).toBe(1040);
  });

  it("brings a row below the view to the bottom", () => {
    expect(scrollToShow(view(1040), 30)).toBe(1040 + 52);
    expect(scrollToShow(view(0), 4999)).toBe(5000 * 52 - 520);
    // Cut at the bottom edge.
    expect(scrollToShow(view(1030), 29)).toBe(1040);
  });

  it("shows the start of a row taller than the viewport", () => {
    expect(scrollToShow(view(0, 30), 3)).toBe(156);
  });
});
