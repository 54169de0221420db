// One sign-in at a time, from the accounts dialog: the form's choices (kept when a
// sign-in fails or is cancelled, so a retry is one click), the prompt while it runs.

import { ApiError, cancelSignIn, signIn } from "../api";
import type { AccountView } from "../bindings/AccountView";
import type { SignInMethod } from "../bindings/SignInMethod";
import type { SignInPrompt } from "../bindings/SignInPrompt";

export class SignIn {
  method = $state<SignInMethod>("browser");
  tenant = $state("");
  running = $state(false);
  prompt = $state<SignInPrompt | null>(null);
  error = $state<ApiError | null>(null);
  /** The user's own cancel is no error: a quiet note instead. */
  cancelled = $state(false);

  #cancelling = false;

  /** The new account, or null when the sign-in failed or was cancelled. */
  async start(): Promise<AccountView | null> {
    if (this.running) return null;
    this.running = true;
    this.prompt = null;
    this.error = null;
    this.cancelled = false;
    this.#cancelling = false;
    try {
      return await signIn({ method: this.method, tenant: this.tenant.trim() || null }, (prompt) => {
        this.prompt = prompt;
      });
    } catch (error) {
      if (this.#cancelling) this.cancelled = true;
      else this.error = ApiError.from(error);
      return null;
    } finally {
      this.running = false;
      this.prompt = null;
    }
  }

  async cancel(): Promise<void> {
    if (!this.running || this.#cancelling) return;
    this.#cancelling = true;
    try {
      await cancelSignIn();
    } catch (error) {
      // The sign-in goes on: say why it could not be stopped, and let the user try again.
      this.#cancelling = false;
      this.error = ApiError.from(error);
    }
  }
}
