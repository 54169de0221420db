// Sorting and filtering the list. Split in steps so each reruns only when its input
// changes: the keys are read once per listing, the order once per sort choice, and a
// keystroke in the search box only filters (5,000 rows must stay well inside a frame).

import type { PatView } from "../bindings/PatView";

export type SortKey = "expiry" | "name" | "org" | "created";

/** A PAT with the keys the list is sorted and searched by, read once per listing. */
export type Row = {
  readonly pat: PatView;
  readonly name: string;
  readonly org: string;
  readonly expires: number;
  readonly created: number;
};

export type View = { query: string; org: string; sort: SortKey };

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

export function indexRows(pats: readonly PatView[]): Row[] {
  return pats.map((pat) => ({
    pat,
    name: pat.name.toLocaleLowerCase(),
    org: pat.orgs.join(", "),
    expires: Date.parse(pat.validTo),
    created: Date.parse(pat.validFrom),
  }));
}

const byName = (a: Row, b: Row) => collator.compare(a.pat.name, b.pat.name);
const byExpiry = (a: Row, b: Row) => a.expires - b.expires;

const orders: Record<SortKey, (a: Row, b: Row) => number> = {
  expiry: (a, b) => byExpiry(a, b) || byName(a, b),
  name: (a, b) => byName(a, b) || byExpiry(a, b),
  org: (a, b) => collator.compare(a.org, b.org) || byExpiry(a, b) || byName(a, b),
  // Newest first: the PAT just made is the one looked for.
  created: (a, b) => b.created - a.created || byName(a, b),
};

export function sortRows(rows: readonly Row[], sort: SortKey): Row[] {
  return rows.slice().sort(orders[sort]);
}

/** `org` "" is every organization; a global PAT counts in each it was listed in. */
export function filterRows(rows: readonly Row[], query: string, org: string): Row[] {
  const wanted = query.trim().toLocaleLowerCase();
  if (!wanted && !org) return rows as Row[];
  return rows.filter((row) => (!wanted || row.name.includes(wanted)) && (!org || row.pat.orgs.includes(org)));
}

/** The three steps at once, for callers (and benchmarks) that hold no intermediate state. */
export function arrange(pats: readonly PatView[], view: View): PatView[] {
  return filterRows(sortRows(indexRows(pats), view.sort), view.query, view.org).map((row) => row.pat);
}

/** The organizations a list names, for the filter's choices. */
export function orgsOf(pats: readonly PatView[]): string[] {
  const names = new Set<string>();
  for (const pat of pats) for (const org of pat.orgs) names.add(org);
  return [...names].sort(collator.compare);
}
