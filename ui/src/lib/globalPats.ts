// Replacing a global PAT (valid in every organization) with per-organization ones; when
// and how their retirement is worded comes from core (PatView.globalNotice).

import type { PatView } from "../bindings/PatView";
import { DAY } from "./time";

/** The PAT's lifetime in whole days, for giving its replacements the same (a year at most). */
export function lifetimeDays(pat: PatView): number {
  const days = Math.round((Date.parse(pat.validTo) - Date.parse(pat.validFrom)) / DAY);
  return Math.min(365, Math.max(1, days));
}
