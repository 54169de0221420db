// Every component test runs from the same moment in the same zone, whatever the day or
// the machine: Date starts at FIXED_NOW and moves on in real time (timers stay real).
// Installed as the setup file runs, before a test file's own module-level PATs are made.

import { vi } from "vitest";

export const FIXED_NOW = new Date("2026-11-20T10:00:00Z");

vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true, now: FIXED_NOW });
