// Seconds until Rust clears the clipboard, counted here only to say so: Rust keeps its
// own clock, and a new copy starts it again.

export class Countdown {
  /** Null: never cleared (ADOPAT_CLIPBOARD_CLEAR_SECONDS=0). */
  left = $state<number | null>(null);
  #timer: ReturnType<typeof setInterval> | undefined;

  start(seconds: number | null): void {
    this.stop();
    this.left = seconds;
    if (seconds === null) return;
    this.#timer = setInterval(() => {
      if (this.left !== null && this.left > 0) this.left -= 1;
      else this.stop();
    }, 1000);
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
