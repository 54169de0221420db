// Global PATs (valid in every organization) are retired: none can be made since
// 2026-03-15, and the existing ones stop working on 2026-12-01.

import type { PatView } from "../bindings/PatView";
import { DAY } from "./time";

const RETIRED_AT = Date.UTC(2026, 11, 1);

/** "All organizations: stops working on 1 December 2026"; the date spelt out, so no locale misreads it. */
export function retirementText(now: Date): string {
  const verb = now.getTime() < RETIRED_AT ? "stops" : "stopped";
  return `All organizations: ${verb} working on 1 December 2026`;
}

/** The PAT's lifetime in whole days, for giving its replacements the same (a year at most). */
export function lifetimeDays(pat: PatView): number {
  const days = Math.round((Date.parse(pat.validTo) - Date.parse(pat.validFrom)) / DAY);
  return Math.min(365, Math.max(1, days));
}
