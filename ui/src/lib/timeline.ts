// Where the timeline puts things: the next 90 days as 0–100 %, PATs on lanes so that
// marks close in time do not cover each other.

import type { Row } from "./arrange";
import { DAY, daysUntil } from "./time";

export const WINDOW_DAYS = 90;

/** Marks closer than this (in % of the axis) go on separate lanes. */
const GAP = 1.6;

export type Mark = { row: Row; at: number; lane: number; label: string };
export type Tick = { at: number; label: string };

function orgText(row: Row): string {
  return row.pat.global ? "all organizations" : row.org;
}

/** "nuget-feed (contoso) expires in 3 days". */
export function markLabel(row: Row, now: number): string {
  const days = daysUntil(row.expires, now);
  const when = days === 0 ? "today" : days === 1 ? "in 1 day" : `in ${days} days`;
  return `${row.pat.name} (${orgText(row)}) expires ${when}`;
}

export function marks(rows: readonly Row[], now: number): Mark[] {
  const end = now + WINDOW_DAYS * DAY;
  const due = rows
    .filter((row) => row.pat.status === "active" && row.expires >= now && row.expires <= end)
    .sort((a, b) => a.expires - b.expires);
  const laneEnds: number[] = [];
  return due.map((row) => {
    const at = ((row.expires - now) / (end - now)) * 100;
    let lane = laneEnds.findIndex((last) => at - last >= GAP);
    if (lane === -1) lane = laneEnds.push(at) - 1;
    else laneEnds[lane] = at;
    return { row, at, lane, label: markLabel(row, now) };
  });
}

/** The first of each month inside the window, in the user's calendar. */
export function monthTicks(now: Date, locale?: string): Tick[] {
  const start = now.getTime();
  const end = start + WINDOW_DAYS * DAY;
  const month = new Intl.DateTimeFormat(locale, { month: "short" });
  const monthYear = new Intl.DateTimeFormat(locale, { month: "short", year: "numeric" });
  const ticks: Tick[] = [];
  const day = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  while (day.getTime() <= end) {
    const label = (day.getMonth() === 0 ? monthYear : month).format(day);
    ticks.push({ at: ((day.getTime() - start) / (end - start)) * 100, label });
    day.setMonth(day.getMonth() + 1);
  }
  return ticks;
}
