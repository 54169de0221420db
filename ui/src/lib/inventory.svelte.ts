// The list the window shows: the last listing (kept visible while a refresh runs), the
// filter, the search, and the selection.

import { ApiError, listPats } from "../api";
import type { PatFilter } from "../bindings/PatFilter";
import type { PatList } from "../bindings/PatList";
import type { PatView } from "../bindings/PatView";

export class Inventory {
  list = $state<PatList | null>(null);
  error = $state<ApiError | null>(null);
  loading = $state(false);
  filter = $state<PatFilter>("active");
  query = $state("");
  selectedId = $state<string | null>(null);

  /** Only the answer to the latest request counts: filters can change faster than lists arrive. */
  #request = 0;

  visible: PatView[] = $derived.by(() => {
    const pats = this.list?.pats ?? [];
    const query = this.query.trim().toLocaleLowerCase();
    return query ? pats.filter((p) => p.name.toLocaleLowerCase().includes(query)) : pats;
  });

  selected: PatView | null = $derived(
    this.list?.pats.find((p) => p.id === this.selectedId) ?? null,
  );

  async refresh(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const list = await listPats(this.filter);
      if (request !== this.#request) return;
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
    return this.refresh();
  }

  select(id: string | null): void {
    this.selectedId = id;
  }

  /** Puts a changed PAT in place (soonest expiry first, as listed), or drops it when the
   * filter no longer shows it. */
  replace(pat: PatView): void {
    if (!this.list) return;
    const shown = this.filter === "all" || this.filter === pat.status;
    const pats = this.list.pats
      .map((p) => (p.id === pat.id ? pat : p))
      .filter((p) => p.id !== pat.id || shown)
      .sort((a, b) => Date.parse(a.validTo) - Date.parse(b.validTo) || a.name.localeCompare(b.name));
    this.list = { ...this.list, pats };
  }
}
