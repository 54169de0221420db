import { afterEach, describe, expect, it, vi } from "vitest";
import { date, expiryText, relative } from "./time";

const now = new Date("2026-11-28T12:00:00Z");
const plus = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

describe("relative", () => {
  it("says days, hours and months as people do", () => {
    expect(relative(plus(72), now)).toBe("in 3 days");
    expect(relative(plus(24), now)).toBe("tomorrow");
    expect(relative(plus(5), now)).toBe("in 5 hours");
    expect(relative(plus(-48), now)).toBe("2 days ago");
    expect(relative(plus(24 * 75), now)).toBe("in 75 days");
    expect(relative(plus(24 * 300), now)).toBe("in 10 months");
  });
});

describe("the phrases", () => {
  const Real = Intl.RelativeTimeFormat;
  const use = (made: typeof Real) =>
    Object.defineProperty(Intl, "RelativeTimeFormat", { value: made, configurable: true, writable: true });
  afterEach(() => {
    use(Real);
    vi.resetModules();
  });

  it("are English, as every word around them, whatever the system's language", async () => {
    const asked: unknown[] = [];
    use(
      class extends Real {
        constructor(locale?: Intl.LocalesArgument, options?: Intl.RelativeTimeFormatOptions) {
          asked.push(locale);
          super(locale, options);
        }
      },
    );
    vi.resetModules();
    const fresh = await import("./time");
    expect(fresh.expiryText("expired", plus(-48), now)).toBe("expired 2 days ago");
    expect(asked).toEqual(["en"]);
  });
});

describe("expiryText", () => {
  it("names expired and revoked PATs", () => {
    expect(expiryText("expired", plus(-48), now)).toBe("expired 2 days ago");
    expect(expiryText("revoked", plus(48), now)).toBe("revoked");
    expect(expiryText("active", plus(72), now)).toBe("in 3 days");
  });
});

describe("date", () => {
  it("is short and unambiguous", () => {
    expect(date(new Date("2026-12-01T12:00:00Z"), "en-GB")).toBe("1 Dec 2026");
  });
});
