// Which rows of a long list to draw. Rows share one fixed height, so a row's place is
// its index times that height and nothing has to be measured: the list draws the rows
// under the viewport (plus a margin, so a fast scroll shows rows, not blank space) and
// keeps the full list's height for the scrollbar.

/** A scroll container: how far it is scrolled, how tall it shows, how tall a row is (px). */
export type Viewport = { scrollTop: number; height: number; rowHeight: number };

/** Rows `start` up to, not including, `end`. */
export type Range = { start: number; end: number };

/** The rows under the viewport and `overscan` more on each side, within `count`. */
export function visibleRange(view: Viewport, count: number, overscan: number): Range {
  if (count <= 0 || view.rowHeight <= 0) return { start: 0, end: 0 };
  const height = Math.max(0, view.height);
  // A list that just shrank can leave the offset past its end until the browser
  // clamps it; draw the last screenful rather than nothing.
  const top = Math.min(Math.max(0, view.scrollTop), Math.max(0, count * view.rowHeight - height));
  const first = Math.floor(top / view.rowHeight);
  const last = Math.ceil((top + height) / view.rowHeight);
  return { start: Math.max(0, first - overscan), end: Math.min(count, Math.max(last, first + 1) + overscan) };
}

/** The scrollTop that shows row `index` whole, moving as little as possible ("nearest"). */
export function scrollToShow(view: Viewport, index: number): number {
  const top = index * view.rowHeight;
  const bottom = top + view.rowHeight;
  if (top < view.scrollTop) return top;
  if (bottom > view.scrollTop + view.height) {
    // A viewport shorter than a row shows the row's start.
    return view.height < view.rowHeight ? top : bottom - view.height;
  }
  return view.scrollTop;
}
