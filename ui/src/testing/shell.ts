// What the component tests share: PATs made relative to now, a mocked shell that
// records each command, and the list's rows as a user finds them.

import { screen, within } from "@testing-library/svelte";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { InvokeArgs } from "@tauri-apps/api/core";
import type { PatList } from "../bindings/PatList";
import type { PatView } from "../bindings/PatView";
import type { ScopeOption } from "../bindings/ScopeOption";
import type { Updates } from "../bindings/Updates";

export const DAY = 86_400_000;
/** A create or regenerate that touched no place on this machine. */
export const NO_PLACES: Updates = { updated: [], notUpdated: [], notes: [] };
export const SECRET = "x".repeat(76) + "AZDOabcd";
/** Core's notice for a global PAT before 1 December 2026, and from that day on. */
export const STOPS = "stops working on 1 December 2026";
export const STOPPED = "stopped working on 1 December 2026";

let made = 0;

export function pat(name: string, days: number, overrides: Partial<PatView> = {}): PatView {
  const now = Date.now();
  made += 1;
  const validFrom = overrides.validFrom ?? new Date(now - 30 * DAY).toISOString();
  const validTo = overrides.validTo ?? new Date(now + days * DAY).toISOString();
  // As core reckons it: whole days, a day to a year.
  const lifetime = Math.round((Date.parse(validTo) - Date.parse(validFrom)) / DAY);
  const view: PatView = {
    id: `00000000-0000-4000-8000-${String(made).padStart(12, "0")}`,
    name,
    orgs: ["contoso"],
    global: false,
    scopes: [{ id: "vso.code", name: "Code (read)" }],
    scopesSummary: "Code (read)",
    validFrom,
    validTo,
    status: days < 0 ? "expired" : "active",
    urgency: days <= 1 ? "critical" : days <= 7 ? "soon" : days <= 30 ? "upcoming" : "fine",
    globalNotice: overrides.global ? STOPS : null,
    fullAccess: false,
    lifetimeDays: Math.min(365, Math.max(1, lifetime)),
    state: "active",
    stateLabel: "active",
    renews: null,
    ...overrides,
  };
  // Core's state follows the status unless the test says otherwise.
  const state = overrides.state ?? view.status;
  return { ...view, state, stateLabel: overrides.stateLabel ?? state };
}

export type Calls = { cmd: string; args: InvokeArgs | undefined }[];
export type Handlers = Record<string, (args: InvokeArgs | undefined) => unknown>;

/** Commands without a handler fail as the shell would, so a test sees what it did not expect. */
export function shell(handlers: Handlers): Calls {
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    const handler = handlers[cmd];
    if (!handler) throw { code: "other", message: `unexpected ${cmd}`, field: null };
    return handler(args);
  });
  return calls;
}

export function listing(pats: PatView[], overrides: Partial<PatList> = {}): PatList {
  return { pats, failures: [], listedAt: new Date().toISOString(), cached: false, clockAheadMs: 0, ...overrides };
}

/** A promise the test settles when it chooses, to hold a command in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

export function rows(): HTMLElement[] {
  return within(screen.getByRole("listbox")).getAllByRole("option");
}

export function names(): string[] {
  return rows().map((row) => row.querySelector(".text")?.textContent ?? "");
}

export function dialog(): HTMLElement {
  return screen.getByRole("dialog");
}

/** Text with its whitespace folded, as a user reads it. */
export const folded = { normalizer: (text: string) => text.replace(/\s+/g, " ").trim() };

/** A slice of core's catalog, with each shape the picker must handle. */
export const SCOPES: ScopeOption[] = [
  { id: "app_token", name: "Full access", category: "Full access", level: "full", resource: "Full access", levelText: null, fullAccess: true, highPrivilege: true },
  { id: "vso.build", name: "Build (read)", category: "Build", level: "read", resource: "Build", levelText: "read", fullAccess: false, highPrivilege: false },
  { id: "vso.build_execute", name: "Build (read & execute)", category: "Build", level: "execute", resource: "Build", levelText: "read & execute", fullAccess: false, highPrivilege: true },
  { id: "vso.code", name: "Code (read)", category: "Code", level: "read", resource: "Code", levelText: "read", fullAccess: false, highPrivilege: false },
  { id: "vso.code_write", name: "Code (read & write)", category: "Code", level: "readWrite", resource: "Code", levelText: "read & write", fullAccess: false, highPrivilege: true },
  { id: "vso.code_manage", name: "Code (read, write & manage)", category: "Code", level: "manage", resource: "Code", levelText: "read, write & manage", fullAccess: false, highPrivilege: true },
  { id: "vso.code_full", name: "Code (full)", category: "Code", level: "full", resource: "Code", levelText: "full", fullAccess: false, highPrivilege: true },
  { id: "vso.code_status", name: "Code (status)", category: "Code", level: "other", resource: "Code", levelText: "status", fullAccess: false, highPrivilege: false },
  { id: "vso.connected_server", name: "Connected Server", category: "Connected Server", level: "other", resource: "Connected Server", levelText: null, fullAccess: false, highPrivilege: false },
  { id: "vso.extension", name: "Extensions (read)", category: "Extensions", level: "read", resource: "Extensions", levelText: "read", fullAccess: false, highPrivilege: false },
  { id: "vso.extension_manage", name: "Extensions (read & manage)", category: "Extensions", level: "manage", resource: "Extensions", levelText: "read & manage", fullAccess: false, highPrivilege: true },
  { id: "vso.extension.data", name: "Extension data (read)", category: "Extensions", level: "read", resource: "Extension data", levelText: "read", fullAccess: false, highPrivilege: false },
  { id: "vso.extension.data_write", name: "Extension data (read & write)", category: "Extensions", level: "readWrite", resource: "Extension data", levelText: "read & write", fullAccess: false, highPrivilege: false },
  { id: "vso.packaging", name: "Packaging (read)", category: "Packaging", level: "read", resource: "Packaging", levelText: "read", fullAccess: false, highPrivilege: false },
  { id: "vso.packaging_write", name: "Packaging (read & write)", category: "Packaging", level: "readWrite", resource: "Packaging", levelText: "read & write", fullAccess: false, highPrivilege: true },
];
