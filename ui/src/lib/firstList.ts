// The list the page draws first: the last list seen, which the shell hands over with the
// page's scripts (src-tauri/src/first_list.rs), so the first frame already shows it.

import type { PatList } from "../bindings/PatList";

const GLOBAL = "__ADOPAT_FIRST_LIST__";

/** Where the start went, for the start-up figures (`listDrawn`): when the page's own
 * script began, and when the app's mount began and ended (main.ts). */
export const startup = { script: performance.now(), mount: 0, mounted: 0 };

/** The handed-over list, once: a later load asks the shell as usual. */
export function takeFirstList(): PatList | null {
  const holder = window as unknown as Record<string, PatList | undefined>;
  const list = holder[GLOBAL] ?? null;
  delete holder[GLOBAL];
  return list;
}
