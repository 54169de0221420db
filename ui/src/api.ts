// One typed function per Tauri command: the only module that invokes. Errors arrive as
// `{ code, message, field }` (src-tauri/src/error.rs) and are thrown as ApiError.

import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { AccountView } from "./bindings/AccountView";
import type { Accounts } from "./bindings/Accounts";
import type { Copied } from "./bindings/Copied";
import type { CreateRequest } from "./bindings/CreateRequest";
import type { CreatedView } from "./bindings/CreatedView";
import type { EditRequest } from "./bindings/EditRequest";
import type { EditedView } from "./bindings/EditedView";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { IpcError } from "./bindings/IpcError";
import type { OrgView } from "./bindings/OrgView";
import type { PatFilter } from "./bindings/PatFilter";
import type { PatList } from "./bindings/PatList";
import type { PatView } from "./bindings/PatView";
import type { PlaceView } from "./bindings/PlaceView";
import type { RegenerateRequest } from "./bindings/RegenerateRequest";
import type { RegeneratedView } from "./bindings/RegeneratedView";
import type { ReplaceGlobalRequest } from "./bindings/ReplaceGlobalRequest";
import type { RenewMode } from "./bindings/RenewMode";
import type { RenewsView } from "./bindings/RenewsView";
import type { ReplacedView } from "./bindings/ReplacedView";
import type { ScopeOption } from "./bindings/ScopeOption";
import type { SettingsRequest } from "./bindings/SettingsRequest";
import type { SettingsView } from "./bindings/SettingsView";
import type { SignInPrompt } from "./bindings/SignInPrompt";
import type { SignInRequest } from "./bindings/SignInRequest";
import type { StartUp } from "./bindings/StartUp";

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field: string | null;

  constructor(error: IpcError) {
    super(error.message);
    this.name = "ApiError";
    this.code = error.code;
    this.field = error.field;
  }

  /** Anything a command threw: the shell's `{ code, message }`, or a failure of IPC itself. */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    if (isIpcError(error)) return new ApiError(error);
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError({ code: "other", message, field: null });
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcError).code === "string" &&
    typeof (value as IpcError).message === "string"
  );
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw ApiError.from(error);
  }
}

export const listPats = (filter: PatFilter) => call<PatList>("list_pats", { filter });

export const listOrgs = () => call<OrgView[]>("list_orgs");

/** The secret goes to the clipboard in Rust; the result says for how long. */
export const createPat = (request: CreateRequest) => call<CreatedView>("create_pat", { request });

export const editPat = (request: EditRequest) => call<EditedView>("edit_pat", { request });

export const revokePat = (id: string) => call<PatView>("revoke_pat", { id });

/** The new secret goes to the clipboard in Rust; it never crosses IPC here. */
export const regeneratePat = (request: RegenerateRequest) =>
  call<RegeneratedView>("regenerate_pat", { request });

/** One PAT per organization for a global PAT, made in Rust in one go (the places too);
 * the first secret is on the clipboard, none crosses IPC. */
export const replaceGlobal = (request: ReplaceGlobalRequest) =>
  call<ReplacedView>("replace_global", { request });

/** The `index`th new secret of the last replacement to the clipboard. */
export const copyReplacement = (index: number) => call<Copied>("copy_replacement", { index });

export const copyAgain = () => call<Copied>("copy_again");

/** The one call that brings a secret into the webview: only when the user pressed Reveal. */
export const revealSecret = () => call<string>("reveal_secret");

/** The success pane closed: Rust forgets the secret (the clipboard clears on schedule). */
export const clearSecret = () => call<null>("clear_secret");

/** The last list seen (metadata only), drawn at start; null the first time. */
export const cachedList = (filter: PatFilter) => call<PatList | null>("cached_list", { filter });

/** The scopes the create and edit dialog offers, grouped there by category. */
export const listScopes = () => call<ScopeOption[]>("list_scopes");

/** Diagnostics only: the shell logs it, so a failure is nobody's concern. */
export const listDrawn = (rows: number, cached: boolean, at: StartUp) =>
  call<null>("list_drawn", { rows, cached, at }).catch(() => null);

/** The accounts signed in, and whether they are used at all (not in the demo, nor with ADOPAT_ACCESS_TOKEN). */
export const listAccounts = () => call<Accounts>("list_accounts");

/**
 * Resolves once the user has finished signing in, which may take minutes. Meanwhile Rust
 * sends at most one prompt: the page to open, and for a device code, the code to enter there.
 */
export function signIn(request: SignInRequest, onprompt: (prompt: SignInPrompt) => void): Promise<AccountView> {
  const onPrompt = new Channel<SignInPrompt>();
  onPrompt.onmessage = onprompt;
  return call<AccountView>("sign_in", { request, onPrompt });
}

/** The pending `signIn` then rejects; nothing is saved. */
export const cancelSignIn = () => call<null>("cancel_sign_in");

/** Its refresh token leaves the OS keyring, and its PATs the list. */
export const signOut = (id: string) => call<null>("sign_out", { id });

/** The tray or a notification asks to show a PAT: `onselect` gets its id, now and whenever asked again. */
export function watchSelection(onselect: (id: string) => void): Promise<null> {
  const onSelect = new Channel<string>();
  onSelect.onmessage = onselect;
  return call<null>("watch_selection", { onSelect });
}

export const getSettings = () => call<SettingsView>("get_settings");

/** Checked in Rust before anything is written; the tray reads them at its next check. */
export const saveSettings = (request: SettingsRequest) => call<SettingsView>("save_settings", { request });

/** No reminder about this PAT for `days` days; resolves to until when (RFC 3339). */
export const snoozePat = (id: string, days: number) => call<string>("snooze_pat", { id, days });

/** Where Azure DevOps credentials are used on this machine; `check` asks the service once per place. */
export const listPlaces = (check: boolean) => call<PlaceView[]>("list_places", { check });

/** The PATs whose secret is kept in the OS keyring (Settings: keep new secrets). */
export const keptIds = () => call<string[]>("kept_ids");

/**
 * Turns a PAT's renewal on (in `mode`, regenerate when none is given) or off; resolves to
 * how it renews itself now (null when off). The tray renews it when it is due.
 */
export const setRenewal = (id: string, on: boolean, mode: RenewMode | null = null) =>
  call<RenewsView | null>("set_renewal", { id, on, mode });

/** A kept secret to the clipboard, in Rust; it never crosses IPC. */
export const copyKept = (id: string) => call<Copied>("copy_kept", { id });

