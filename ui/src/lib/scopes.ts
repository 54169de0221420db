// The scope picker's model, as on Azure DevOps' own page: per category, each resource
// gets one choice among its levels (none, read, read & write, manage, full); levels
// that do not stack that way (execute, "other") are extra checkboxes.

import type { ScopeLevel } from "../bindings/ScopeLevel";
import type { ScopeOption } from "../bindings/ScopeOption";

/** Levels that include the ones before them, so one choice among them is enough. */
const RANKED: readonly ScopeLevel[] = ["read", "readWrite", "manage", "full"];

const LEVEL_LABELS: Record<ScopeLevel, string> = {
  read: "Read",
  readWrite: "Read & write",
  execute: "Execute",
  manage: "Manage",
  full: "Full",
  other: "Other",
};

export type Resource = {
  /** Unique across the picker: names the radio group. */
  key: string;
  /** "Code"; shown only where a category holds more than one resource. */
  label: string;
  /** One choice among these (besides none), lowest level first. */
  levels: ScopeOption[];
  extras: ScopeOption[];
};

export type Category = { name: string; resources: Resource[] };

export type Choice = {
  /** Per resource key: the chosen scope id, "" for none. */
  picks: Record<string, string>;
  extras: string[];
};

/** "Read & write", "Read, write & manage": the scope's own words where it has them. */
export function levelLabel(option: ScopeOption, fallback = LEVEL_LABELS[option.level]): string {
  const level = option.levelText;
  return level ? level.charAt(0).toUpperCase() + level.slice(1) : fallback;
}

/** The full-access scope's id, as core's catalog marks it: the picker's other mode. */
export function fullAccessOf(options: readonly ScopeOption[]): string | null {
  return options.find((o) => o.fullAccess)?.id ?? null;
}

/** Categories in catalog order, without full access (the picker's other mode). */
export function groupScopes(options: readonly ScopeOption[]): Category[] {
  const categories = new Map<string, Map<string, Resource>>();
  for (const option of options) {
    if (option.fullAccess) continue;
    let resources = categories.get(option.category);
    if (!resources) categories.set(option.category, (resources = new Map()));
    const label = option.resource;
    let resource = resources.get(label);
    if (!resource) resources.set(label, (resource = { key: `${option.category}/${label}`, label, levels: [], extras: [] }));
    const ranked = RANKED.includes(option.level) && !resource.levels.some((l) => l.level === option.level);
    (ranked ? resource.levels : resource.extras).push(option);
  }
  return [...categories].map(([name, resources]) => ({
    name,
    resources: [...resources.values()].map((r) => ({
      ...r,
      levels: r.levels.sort((a, b) => RANKED.indexOf(a.level) - RANKED.indexOf(b.level)),
    })),
  }));
}

/** The picker's state for a PAT's scopes; `dropped` are ids the picker does not offer. */
export function choiceOf(
  categories: readonly Category[],
  ids: readonly string[],
  fullAccess: string | null,
): Choice & { dropped: string[] } {
  const held = new Set(ids);
  const picks: Record<string, string> = {};
  const extras: string[] = [];
  const offered = new Set<string>(fullAccess ? [fullAccess] : []);
  for (const category of categories) {
    for (const resource of category.resources) {
      const highest = resource.levels.filter((l) => held.has(l.id)).at(-1);
      picks[resource.key] = highest?.id ?? "";
      for (const option of resource.levels) offered.add(option.id);
      for (const option of resource.extras) {
        offered.add(option.id);
        if (held.has(option.id)) extras.push(option.id);
      }
    }
  }
  return { picks, extras, dropped: ids.filter((id) => !offered.has(id)) };
}

/** The scope ids a choice stands for, in catalog order. */
export function scopesOf(categories: readonly Category[], choice: Choice): string[] {
  const ids: string[] = [];
  for (const category of categories) {
    for (const resource of category.resources) {
      const pick = choice.picks[resource.key];
      if (pick) ids.push(pick);
      for (const option of resource.extras) if (choice.extras.includes(option.id)) ids.push(option.id);
    }
  }
  return ids;
}

export function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
