// Where the timeline puts things: the next 90 days as 0–100 %, PATs on lanes so that
// marks close in time do not cover each other.

import type { Row } from "./arrange";
import { DAY, daysUntil } from "./time";

export const WINDOW_DAYS = 90;

/** Marks closer than this (in % of the axis) go on separate lanes. */
const GAP = 1.6;
/** Beyond this many lanes, a PAT joins the mark it would cover: a few thousand PATs
 * would otherwise be a few thousand buttons, redrawn at every keystroke of a search. */
export const MAX_LANES = 6;
/** A month's label this close to "today" (in % of the axis) would overlap it. */
const TODAY_LABEL = 6;

/** `more`: the PATs behind this mark, expiring about when it does (soonest first). */
export type Mark = { row: Row; at: number; lane: number; label: string; more: Row[] };
export type Tick = { at: number; label: string };

function orgText(row: Row): string {
  return row.pat.global ? "all organizations" : row.org;
}

/** "nuget-feed (contoso) expires in 3 days". */
export function markLabel(row: Row, now: number): string {
  const days = daysUntil(row.expires, now);
  const when = days === 0 ? "today" : days === 1 ? "in 1 day" : `in ${days} days`;
  const renews = row.pat.renews ? ", renews itself before" : "";
  return `${row.pat.name} (${orgText(row)}) expires ${when}${renews}`;
}

export function marks(rows: readonly Row[], now: number): Mark[] {
  const end = now + WINDOW_DAYS * DAY;
  const due = rows
    .filter((row) => row.pat.status === "active" && row.expires >= now && row.expires <= end)
    .sort((a, b) => a.expires - b.expires);
  const laneEnds: number[] = [];
  const laneLast: Mark[] = [];
  const placed: Mark[] = [];
  for (const row of due) {
    const at = ((row.expires - now) / (end - now)) * 100;
    let lane = laneEnds.findIndex((last) => at - last >= GAP);
    if (lane === -1 && laneEnds.length >= MAX_LANES) {
      // Every lane is taken here: behind the lane's mark that is nearest in time.
      const nearest = laneLast.reduce((best, mark) => (mark.at > best.at ? mark : best));
      nearest.more.push(row);
      continue;
    }
    if (lane === -1) lane = laneEnds.push(at) - 1;
    else laneEnds[lane] = at;
    const mark = { row, at, lane, label: markLabel(row, now), more: [] };
    laneLast[lane] = mark;
    placed.push(mark);
  }
  for (const mark of placed) {
    if (mark.more.length > 0) mark.label += `, and ${mark.more.length} more about then`;
  }
  return placed;
}

/** The first of each month inside the window, in the user's calendar; unlabelled where
 * "today" stands. */
export function monthTicks(now: Date, locale?: string): Tick[] {
  const start = now.getTime();
  const end = start + WINDOW_DAYS * DAY;
  const month = new Intl.DateTimeFormat(locale, { month: "short" });
  const monthYear = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric" });
  const ticks: Tick[] = [];
  const day = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  while (day.getTime() <= end) {
    const at = ((day.getTime() - start) / (end - start)) * 100;
    const label = at < TODAY_LABEL ? "" : (day.getMonth() === 0 ? monthYear : month).format(day);
    ticks.push({ at, label });
    day.setMonth(day.getMonth() + 1);
  }
  return ticks;
}
