// Expiry as people read it: "in 3 days" next to the date.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

// Building an Intl formatter costs far more than using one, and every row formats dates.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ""}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

/** The language of every word around the phrase: the system's would give "expired vor
 * 2 Tagen" on a German Windows. Dates alone follow the user's locale. */
const PHRASES = "en";

function relativeFormat(): Intl.RelativeTimeFormat {
  const key = `r|${PHRASES}`;
  let format = formatters.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.RelativeTimeFormat(PHRASES, { numeric: "auto" })));
  return format;
}

/** "in 3 days", "tomorrow", "5 hours ago", "in 10 months". */
export function relative(to: Date, now: Date): string {
  const format = relativeFormat();
  const diff = to.getTime() - now.getTime();
  const size = Math.abs(diff);
  if (size < HOUR) return format.format(Math.round(diff / MINUTE), "minute");
  if (size < DAY) return format.format(Math.round(diff / HOUR), "hour");
  if (size < 90 * DAY) return format.format(Math.round(diff / DAY), "day");
  return format.format(Math.round(diff / (30.44 * DAY)), "month");
}

/** "1 Dec 2026" in the user's locale. */
export function date(at: Date, locale?: string): string {
  return dateFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(at);
}

/** "1 December 2026, 14:05" for the details pane. */
export function dateTime(at: Date, locale?: string): string {
  return dateFormat(locale, { dateStyle: "long", timeStyle: "short" }).format(at);
}

/** "14:02" for today, "27 Nov, 14:02" before: when a list was read. */
export function clock(at: Date, now: Date, locale?: string): string {
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay
    ? dateFormat(locale, { timeStyle: "short" }).format(at)
    : dateFormat(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(at);
}

/** The expiry phrase by status: "in 3 days", "expired 2 days ago", "revoked". */
export function expiryText(status: string, validTo: Date, now: Date): string {
  const when = relative(validTo, now);
  if (status === "revoked") return "revoked";
  if (status === "expired" || validTo <= now) return `expired ${when}`;
  return when;
}

/** A date input's value ("2027-03-01") for a moment, in the user's time zone. */
export function dateInput(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Whole days from `now` to `at`, as "expires in N days" counts them. */
export function daysUntil(at: number, now: number): number {
  return Math.max(0, Math.round((at - now) / DAY));
}
