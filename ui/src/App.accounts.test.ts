// Signing in and out from the accounts dialog: only a signed-in Entra user can manage PATs.

import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { Channel, type InvokeArgs } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { AccountView } from "./bindings/AccountView";
import type { Accounts } from "./bindings/Accounts";
import type { SignInPrompt } from "./bindings/SignInPrompt";
import { deferred, dialog, folded, listing, names, pat, rows, shell, type Handlers } from "./testing/shell";

const ada: AccountView = {
  id: "72f988bf-0000-4000-8000-000000000001/0a1b2c3d-0000-4000-8000-000000000001",
  username: "ada@contoso.com",
  displayName: "Ada Lovelace",
  tenant: "72f988bf-0000-4000-8000-000000000001",
  kind: "entra",
};
const cli: AccountView = {
  id: "72f988bf-0000-4000-8000-000000000002/0a1b2c3d-0000-4000-8000-000000000002",
  username: "grace@fabrikam.com",
  displayName: "Grace Hopper",
  tenant: "72f988bf-0000-4000-8000-000000000002",
  kind: "azure-cli",
};
const newcomer: AccountView = {
  id: "8d1e0000-0000-4000-8000-000000000003/0a1b2c3d-0000-4000-8000-000000000003",
  username: "alan@contoso.onmicrosoft.com",
  displayName: "Alan Turing",
  tenant: "8d1e0000-0000-4000-8000-000000000003",
  kind: "entra",
};
const feed = pat("nuget-feed", 20);

afterEach(() => {
  cleanup();
  clearMocks();
});

const signedIn = (...accounts: AccountView[]): Accounts => ({ accounts, source: "signedIn" });

async function openAccounts(handlers: Handlers) {
  const calls = shell({ list_pats: () => listing([feed]), ...handlers });
  render(App);
  await waitFor(() => expect(rows()).toHaveLength(1));
  // Nothing asks for the accounts until the dialog opens.
  expect(calls.some((c) => c.cmd === "list_accounts")).toBe(false);
  await fireEvent.click(document.querySelector('[data-action="accounts"]')!);
  await waitFor(() => expect(dialog().querySelector('[aria-busy="true"]')).toBeNull());
  return calls;
}

const press = (action: string) => fireEvent.click(dialog().querySelector(`[data-action="${action}"]`)!);
const method = (value: string) =>
  dialog().querySelector<HTMLInputElement>(`input[name="sign-in-method"][value="${value}"]`)!;
const tenant = () => dialog().querySelector<HTMLInputElement>('input[name="tenant"]')!;
const listed = (calls: { cmd: string }[]) => calls.filter((c) => c.cmd === "list_pats").length;

/** A sign_in that sends `prompt` at once, then waits for the test to settle it. */
function pendingSignIn(prompt: SignInPrompt | null) {
  const result = deferred<AccountView>();
  let args: InvokeArgs | undefined;
  const handler = (received: InvokeArgs | undefined) => {
    args = received;
    const channel = (received as { onPrompt: Channel<SignInPrompt> }).onPrompt;
    if (prompt) channel.onmessage(prompt);
    return result.promise;
  };
  return { handler, result, args: () => args };
}

describe("the accounts dialog", () => {
  it("opens from the toolbar and lists each account with where its sign-in lives", async () => {
    await openAccounts({ list_accounts: () => signedIn(ada, cli) });

    expect(within(dialog()).getByRole("heading", { level: 2 }).textContent).toBe("Accounts");
    const items = within(dialog()).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain("Ada Lovelace");
    expect(items[0]!.textContent).toContain("ada@contoso.com");
    expect(items[0]!.textContent).toContain(ada.tenant);
    expect(items[0]!.textContent).toContain("kept in the OS keyring");
    expect(items[1]!.textContent).toContain("Grace Hopper");
    expect(items[1]!.textContent).toContain("Azure CLI");
    expect(dialog().querySelectorAll('[data-action="sign-out"]')).toHaveLength(2);
    expect(method("browser").checked).toBe(true);
    expect(screen.queryByText("No account yet")).toBeNull();
  });

  it("says why an account is needed when there is none", async () => {
    await openAccounts({ list_accounts: () => signedIn() });
    expect(within(dialog()).getByText("No account yet")).toBeTruthy();
    expect(within(dialog()).getByText(/a PAT cannot manage PATs/)).toBeTruthy();
  });

  it("closes on Esc, back to the list", async () => {
    await openAccounts({ list_accounts: () => signedIn(ada) });
    await fireEvent.keyDown(dialog(), { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

describe("signing in", () => {
  it("by device code shows the code to enter, then the new account, and reloads the PATs", async () => {
    const signIn = pendingSignIn({
      url: "https://microsoft.com/devicelogin",
      code: "FQK7-2PXM",
      message: "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FQK7-2PXM.",
      opened: false,
    });
    const calls = await openAccounts({ list_accounts: () => signedIn(ada), sign_in: signIn.handler });
    expect(listed(calls)).toBe(1);

    await fireEvent.click(method("deviceCode"));
    await fireEvent.input(tenant(), { target: { value: " contoso.onmicrosoft.com " } });
    await press("sign-in");

    expect(await within(dialog()).findByText("FQK7-2PXM")).toBeTruthy();
    expect(signIn.args()).toEqual({
      request: { method: "deviceCode", tenant: "contoso.onmicrosoft.com" },
      onPrompt: expect.any(Channel),
    });
    expect(dialog().querySelector('[aria-busy="true"]')).not.toBeNull();
    expect(within(dialog()).getByText("https://microsoft.com/devicelogin")).toBeTruthy();
    expect(within(dialog()).getByText(/To sign in, use a web browser/)).toBeTruthy();
    // Shown, never a link the webview would follow away from the app.
    expect(dialog().querySelector("a")).toBeNull();
    expect(dialog().querySelector('[data-action="sign-in"]')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(dialog().querySelector('[data-action="cancel-sign-in"]')));

    signIn.result.resolve(newcomer);
    expect(await within(dialog()).findByText("Alan Turing")).toBeTruthy();
    expect(within(dialog()).getByText("Signed in as alan@contoso.onmicrosoft.com.")).toBeTruthy();
    expect(within(dialog()).getAllByRole("listitem")).toHaveLength(2);
    expect(dialog().querySelector('[aria-busy="true"]')).toBeNull();
    await waitFor(() => expect(listed(calls)).toBe(2));
    expect(names()).toEqual(["nuget-feed"]);
  });

  it("in the browser says what it waits for, and where to go if no browser opened", async () => {
    const signIn = pendingSignIn({
      url: "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x",
      code: null,
      message: null,
      opened: true,
    });
    await openAccounts({ list_accounts: () => signedIn(), sign_in: signIn.handler });
    await press("sign-in");

    expect(await within(dialog()).findByText("Waiting for you to sign in in your browser…")).toBeTruthy();
    const url = within(dialog()).getByText(
      "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=x",
    );
    expect(folded.normalizer(url.closest("p")!.textContent!)).toBe(`If your browser did not open, visit ${url.textContent}`);
    expect(signIn.args()).toMatchObject({ request: { method: "browser", tenant: null } });
    expect(dialog().querySelector("a")).toBeNull();
  });

  it("stops on Cancel, and brings the form back as it was", async () => {
    const signIn = pendingSignIn(null);
    const calls = await openAccounts({
      list_accounts: () => signedIn(ada),
      sign_in: signIn.handler,
      cancel_sign_in: () => {
        signIn.result.reject({ code: "other", message: "Sign-in cancelled; nothing was saved.", field: null });
        return null;
      },
    });
    await fireEvent.click(method("azureCli"));
    await fireEvent.input(tenant(), { target: { value: "fabrikam.onmicrosoft.com" } });
    await press("sign-in");
    await within(dialog()).findByText("Asking the Azure CLI for your sign-in…");
    // Closing now would leave the sign-in running unseen.
    expect(dialog().querySelector<HTMLButtonElement>('[data-action="cancel"]')!.disabled).toBe(true);

    await press("cancel-sign-in");
    await waitFor(() => expect(dialog().querySelector('[data-action="sign-in"]')).not.toBeNull());
    expect(calls.filter((c) => c.cmd === "cancel_sign_in")).toHaveLength(1);
    expect(within(dialog()).getByText("Sign-in cancelled; nothing was saved.")).toBeTruthy();
    expect(within(dialog()).queryByRole("alert")).toBeNull();
    expect(method("azureCli").checked).toBe(true);
    expect(tenant().value).toBe("fabrikam.onmicrosoft.com");
    await waitFor(() => expect(document.activeElement).toBe(dialog().querySelector('[data-action="sign-in"]')));
    expect(listed(calls)).toBe(1);
  });

  it("takes Esc as a cancel of the sign-in, not a close", async () => {
    const signIn = pendingSignIn(null);
    const calls = await openAccounts({
      list_accounts: () => signedIn(),
      sign_in: signIn.handler,
      cancel_sign_in: () => {
        signIn.result.reject({ code: "other", message: "Sign-in cancelled; nothing was saved.", field: null });
        return null;
      },
    });
    await press("sign-in");
    await within(dialog()).findByText("Waiting for you to sign in in your browser…");

    await fireEvent.keyDown(dialog(), { key: "Escape" });
    await waitFor(() => expect(dialog().querySelector('[data-action="sign-in"]')).not.toBeNull());
    expect(calls.filter((c) => c.cmd === "cancel_sign_in")).toHaveLength(1);
  });

  it("names a failure plainly and keeps the form", async () => {
    await openAccounts({
      list_accounts: () => signedIn(),
      sign_in: () => {
        throw {
          code: "keyringUnavailable",
          message: "No Secret Service is running, so the sign-in cannot be kept.",
          field: null,
        };
      },
    });
    await fireEvent.click(method("deviceCode"));
    await fireEvent.input(tenant(), { target: { value: "contoso.onmicrosoft.com" } });
    await press("sign-in");

    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("The keyring is not available");
    expect(alert.textContent).toContain("No Secret Service is running");
    expect(method("deviceCode").checked).toBe(true);
    expect(tenant().value).toBe("contoso.onmicrosoft.com");
    expect(dialog().querySelector<HTMLButtonElement>('[data-action="sign-in"]')!.disabled).toBe(false);
  });

  it("is not offered in the demo, which needs no account", async () => {
    const calls = await openAccounts({ list_accounts: () => ({ accounts: [], source: "demo" }) });
    expect(within(dialog()).getByText(/This is the demo/)).toBeTruthy();
    expect(screen.queryByText("No account yet")).toBeNull();
    expect(dialog().querySelector<HTMLButtonElement>('[data-action="sign-in"]')!.disabled).toBe(true);
    expect(method("browser").matches(":disabled")).toBe(true);
    expect(tenant().disabled).toBe(true);
    await press("sign-in");
    expect(calls.some((c) => c.cmd === "sign_in")).toBe(false);
  });

  it("says that ADOPAT_ACCESS_TOKEN wins over the accounts while it is set", async () => {
    await openAccounts({ list_accounts: () => ({ accounts: [ada], source: "accessToken" }) });
    expect(within(dialog()).getByText(/ADOPAT_ACCESS_TOKEN is set/).textContent).toContain("makes no difference");
    expect(within(dialog()).getAllByRole("listitem")).toHaveLength(1);
  });
});

describe("signing out", () => {
  it("asks first; Cancel keeps the account, Sign out removes it and reloads the PATs", async () => {
    const calls = await openAccounts({ list_accounts: () => signedIn(ada, cli), sign_out: () => null });
    const signOutOf = (account: AccountView) =>
      fireEvent.click(dialog().querySelector(`[data-account-id="${account.id}"] [data-action="sign-out"]`)!);

    await signOutOf(ada);
    expect(within(dialog()).getByRole("heading", { level: 2 }).textContent).toBe("Sign out of ada@contoso.com?");
    expect(within(dialog()).getByText(/The PATs of this account leave the list/)).toBeTruthy();
    expect(within(dialog()).getByText(/deleted from the OS keyring/)).toBeTruthy();
    await press("cancel");
    expect(within(dialog()).getByRole("heading", { level: 2 }).textContent).toBe("Accounts");
    expect(within(dialog()).getAllByRole("listitem")).toHaveLength(2);
    expect(calls.some((c) => c.cmd === "sign_out")).toBe(false);

    await signOutOf(ada);
    await press("confirm");
    await waitFor(() => expect(within(dialog()).getAllByRole("listitem")).toHaveLength(1));
    expect(calls.find((c) => c.cmd === "sign_out")!.args).toEqual({ id: ada.id });
    expect(within(dialog()).getByText("Signed out of ada@contoso.com.")).toBeTruthy();
    expect(within(dialog()).queryByText("Ada Lovelace")).toBeNull();
    await waitFor(() => expect(listed(calls)).toBe(2));
  });

  it("keeps the question open with the reason when the sign-out fails", async () => {
    const calls = await openAccounts({
      list_accounts: () => signedIn(ada),
      sign_out: () => {
        throw { code: "keyringUnavailable", message: "The keyring is locked.", field: null };
      },
    });
    await press("sign-out");
    await press("confirm");
    const alert = await within(dialog()).findByRole("alert");
    expect(alert.textContent).toContain("The keyring is not available");
    expect(within(dialog()).getByRole("heading", { level: 2 }).textContent).toBe("Sign out of ada@contoso.com?");
    expect(listed(calls)).toBe(1);
  });
});

describe("a list refused for want of a sign-in", () => {
  it("offers Sign in, which opens the accounts dialog", async () => {
    const calls = shell({
      list_pats: () => {
        throw { code: "signInRequired", message: "Not signed in.", field: null };
      },
      list_accounts: () => signedIn(),
    });
    render(App);
    expect(await screen.findByText("Sign-in needed")).toBeTruthy();

    await fireEvent.click(document.querySelector('[data-action="sign-in"]')!);
    expect(within(dialog()).getByRole("heading", { level: 2 }).textContent).toBe("Accounts");
    expect(await within(dialog()).findByText("No account yet")).toBeTruthy();
    expect(calls.some((c) => c.cmd === "list_accounts")).toBe(true);
  });

  it("offers it over a cached list too", async () => {
    shell({
      cached_list: () => listing([feed], { cached: true }),
      list_pats: () => {
        throw { code: "signInRequired", message: "Not signed in.", field: null };
      },
      list_accounts: () => signedIn(),
    });
    render(App);
    expect(await screen.findByText(/Sign-in needed: showing the list from/)).toBeTruthy();
    expect(names()).toEqual(["nuget-feed"]);

    await fireEvent.click(document.querySelector('[data-action="sign-in"]')!);
    expect(await within(dialog()).findByText("No account yet")).toBeTruthy();
  });

  it("does not offer it for other failures", async () => {
    shell({
      list_pats: () => {
        throw { code: "offline", message: "No network.", field: null };
      },
    });
    render(App);
    expect(await screen.findByText("Azure DevOps cannot be reached")).toBeTruthy();
    expect(document.querySelector('[data-action="sign-in"]')).toBeNull();
  });
});
