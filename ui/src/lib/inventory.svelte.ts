// The list the window shows: the last listing (kept visible while a refresh runs, and
// when it fails), the filter, the search, the sort, and the selection.

import { ApiError, cachedList, listPats } from "../api";
import type { PatFilter } from "../bindings/PatFilter";
import type { PatList } from "../bindings/PatList";
import type { PatView } from "../bindings/PatView";
import { filterRows, indexRows, orgsOf, sortRows, type Row, type SortKey } from "./arrange";
import { takeFirstList } from "./firstList";

export class Inventory {
  // Raw: lists are replaced whole, and proxying 5,000 rows would slow every read.
  // The last list seen, handed over with the page (the active PATs): drawn at once.
  list = $state.raw<PatList | null>(takeFirstList());
  error = $state<ApiError | null>(null);
  loading = $state(false);
  filter = $state<PatFilter>("active");
  query = $state("");
  org = $state("");
  sort = $state<SortKey>("expiry");
  selectedId = $state<string | null>(null);

  /** Only the answer to the latest request counts: filters can change faster than lists arrive. */
  #request = 0;

  #rows: Row[] = $derived(indexRows(this.list?.pats ?? []));
  #sorted: Row[] = $derived(sortRows(this.#rows, this.sort));

  /** The rows shown, in order, with their parsed dates for the timeline. */
  visibleRows: Row[] = $derived(filterRows(this.#sorted, this.query, this.org));
  visible: PatView[] = $derived(this.visibleRows.map((row) => row.pat));

  /** The filter's choices; the chosen one stays even when a new list lacks it. */
  orgs: string[] = $derived.by(() => {
    const names = orgsOf(this.list?.pats ?? []);
    return this.org && !names.includes(this.org) ? [...names, this.org] : names;
  });

  selected: PatView | null = $derived(this.list?.pats.find((p) => p.id === this.selectedId) ?? null);

  /** At start and on a new filter: the last list seen is drawn until the fresh one arrives. */
  async load(): Promise<void> {
    const request = ++this.#request;
    let fresh = false;
    const filter = this.filter;
    // At launch, a list handed over with the page is that cache already.
    if (request > 1 || !this.list?.cached) {
      void cachedList(filter)
        .then((cached) => {
          if (cached && !fresh && request === this.#request) this.list = cached;
        })
        // No cache is no loss: the fresh list is on its way.
        .catch(() => {});
    }
    await this.#fetch(request, () => (fresh = true));
  }

  refresh(): Promise<void> {
    return this.#fetch(++this.#request, () => {});
  }

  async #fetch(request: number, arrived: () => void): Promise<void> {
    this.loading = true;
    try {
      const list = await listPats(this.filter);
      if (request !== this.#request) return;
      arrived();
      this.list = list;
      this.error = null;
    } catch (error) {
      if (request !== this.#request) return;
      this.error = ApiError.from(error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  setFilter(filter: PatFilter): Promise<void> {
    this.filter = filter;
    return this.load();
  }

  select(id: string | null): void {
    this.selectedId = id;
  }

  /** Puts a changed or new PAT in place, or drops it when the filter no longer shows it. */
  replace(pat: PatView): void {
    if (!this.list) return;
    const shown = this.filter === "all" || this.filter === pat.status;
    const others = this.list.pats.filter((p) => p.id !== pat.id);
    this.list = { ...this.list, pats: shown ? [...others, pat] : others };
  }
}
