// The compliance screens' pure parts: file names, the deletion log's counts in words,
// and the bias audit chart (bars clamped, flags in words, not by colour alone).
import { describe, expect, it } from "vitest";
import { auditChart, auditTable, countsText, filePart, type BiasAudit } from "../src/dashboard/admin";
import { mount } from "../src/view";

const group = {
  decided: 4,
  selected: 1,
  pending: 0,
  selection_rate: 0.25,
  impact_ratio: 0.31,
  below_four_fifths: true,
  small_group: true,
};

const audit: BiasAudit = {
  job_id: "j1",
  category: "sex",
  notice: "Summary, not legal advice",
  groups: [
    { ...group, group: "male", label: "Male" },
    {
      ...group,
      group: "female",
      label: "Female",
      selected: 5,
      decided: 5,
      selection_rate: 3,
      impact_ratio: 1,
      below_four_fifths: false,
      small_group: false,
    },
    { ...group, group: "not_disclosed", label: "Not disclosed", impact_ratio: null, below_four_fifths: false },
  ],
};

describe("compliance screens", () => {
  it("names export files after the candidate, safely", () => {
    expect(filePart("Zofia Nowak")).toBe("zofia-nowak");
    expect(filePart("José Núñez")).toBe("jose-nunez");
    expect(filePart("  ../../etc/passwd ")).toBe("etc-passwd");
    expect(filePart("<>")).toBe("candidate");
  });

  it("says what a deletion removed, leaving out what it did not", () => {
    expect(countsText({ candidates: 1, interviews: 2, recordings_objects: 0, transcripts_files: 3 })).toBe(
      "candidate records: 1, interviews and calls: 2, transcript files (local disk): 3",
    );
    expect(countsText({ new_store: 4 })).toBe("new store: 4");
    expect(countsText({})).toBe("nothing");
  });

  it("draws the audit chart with clamped bars and flags in words", () => {
    const root = document.createElement("div");
    mount(root, auditChart(audit));
    const male = root.querySelector<HTMLElement>('[data-group="male"]');
    const female = root.querySelector<HTMLElement>('[data-group="female"]');
    expect(male?.textContent).toContain("below four-fifths");
    expect(male?.textContent).toContain("small group");
    expect(male?.querySelector<HTMLElement>(".fill")?.style.width).toBe("25%");
    expect(female?.querySelector<HTMLElement>(".fill")?.style.width).toBe("100%"); // a bad rate stays inside
    expect(female?.textContent).not.toContain("below");
    mount(root, auditTable(audit));
    expect(root.querySelector('tr[data-group="not_disclosed"]')?.textContent).toContain("not compared");
    expect(root.querySelector('tr[data-group="male"] [data-col="four-fifths"]')?.textContent).toContain("Below four-fifths");
  });
});
