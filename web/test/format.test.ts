import { describe, expect, it } from "vitest";
import { badgeClass, fmtDate, fmtScore, label, modeLabel, scorePercent, splitList } from "../src/format";

describe("formatting", () => {
  it("shows scores with one decimal and a dash when there is none", () => {
    expect(fmtScore(7)).toBe("7.0");
    expect(fmtScore(6.25)).toBe("6.3");
    expect(fmtScore(null)).toBe("—");
    expect(fmtScore("7")).toBe("—");
    expect(fmtScore(Number.NaN)).toBe("—");
  });

  it("keeps chart bars inside the chart whatever the score", () => {
    expect(scorePercent(6)).toBe(60);
    expect(scorePercent(120)).toBe(100);
    expect(scorePercent(-3)).toBe(0);
    expect(scorePercent("90")).toBe(0);
    expect(scorePercent(null)).toBe(0);
  });

  it("turns ids into words", () => {
    expect(label("no_hire")).toBe("no hire");
    expect(label(null)).toBe("");
    expect(modeLabel("gap_filling")).toBe("Gap-filling call");
    expect(modeLabel("new_mode")).toBe("new_mode");
  });

  it("uses only known values as badge class names", () => {
    expect(badgeClass("completed")).toBe("badge completed");
    expect(badgeClass('x" onclick="y')).toBe("badge");
    expect(badgeClass(undefined)).toBe("badge");
  });

  it("shows a dash for a missing or invalid date", () => {
    expect(fmtDate(null)).toBe("—");
    expect(fmtDate("yesterday-ish")).toBe("—");
    expect(fmtDate("2026-01-02T10:00:00Z")).toMatch(/2026/);
  });

  it("splits comma-separated input", () => {
    expect(splitList(" Python, SQL ,, system design ")).toEqual(["Python", "SQL", "system design"]);
    expect(splitList("")).toEqual([]);
  });
});
