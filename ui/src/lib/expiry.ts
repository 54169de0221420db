// The expiry a dialog asks for, as core reads it: a span from now ("90d") or a date
// ("2027-03-01", the end of that day where the user is).

import { DAY, date, dateInput } from "./time";

export const PRESETS = [30, 60, 90, 180, 365].map((days) => ({ value: `${days}d`, label: `${days} days` }));

/** Azure DevOps lets a PAT live a year; a day of slack, as core allows, for time zones. */
const MAX_DAYS = 366;

export type ExpiryChoice = { choice: string; date: string };

export function expiresOf({ choice, date }: ExpiryChoice): string {
  return choice === "custom" ? date : choice;
}

/** What is wrong with the choice, or null. */
export function expiryProblem({ choice, date }: ExpiryChoice, now: Date): string | null {
  if (choice !== "custom") return null;
  if (!date) return "Choose a date.";
  if (date < dateInput(now)) return "That date is in the past; choose today or later.";
  if (date > dateInput(new Date(now.getTime() + MAX_DAYS * DAY))) return "Azure DevOps allows at most one year.";
  return null;
}

/** When the choice ends, for "Expires on 1 Dec 2026" under the field. */
export function expiryDate({ choice, date: day }: ExpiryChoice, now: Date): string {
  if (choice === "custom") return day ? date(new Date(`${day}T23:59:59`)) : "";
  const days = Number.parseInt(choice, 10);
  return Number.isFinite(days) ? date(new Date(now.getTime() + days * DAY)) : "";
}

/** The plain words for an expiry an organization's lifespan policy cut short. */
export function shortenedText(shortenedFrom: string | null, validTo: string): string | null {
  if (!shortenedFrom) return null;
  return `The organization's policy shortened the expiry from ${date(new Date(shortenedFrom))} to ${date(new Date(validTo))}.`;
}
