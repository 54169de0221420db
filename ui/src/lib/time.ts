// Expiry as people read it: "in 3 days" next to the date.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 3 days", "tomorrow", "5 hours ago", "in 10 months". */
export function relative(to: Date, now: Date, locale?: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const diff = to.getTime() - now.getTime();
  const size = Math.abs(diff);
  if (size < HOUR) return format.format(Math.round(diff / MINUTE), "minute");
  if (size < DAY) return format.format(Math.round(diff / HOUR), "hour");
  if (size < 90 * DAY) return format.format(Math.round(diff / DAY), "day");
  return format.format(Math.round(diff / (30.44 * DAY)), "month");
}

/** "1 Dec 2026" in the user's locale. */
export function date(at: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(
    at,
  );
}

/** "1 December 2026, 14:05" for the details pane. */
export function dateTime(at: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short" }).format(at);
}

/** The expiry phrase by status: "in 3 days", "expired 2 days ago", "revoked". */
export function expiryText(status: string, validTo: Date, now: Date, locale?: string): string {
  const when = relative(validTo, now, locale);
  if (status === "revoked") return "revoked";
  if (status === "expired" || validTo <= now) return `expired ${when}`;
  return when;
}
