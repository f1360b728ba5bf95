import { describe, expect, it } from "vitest";

import { parseJoinInfo } from "../src/join-info";

describe("parseJoinInfo", () => {
  it("keeps the recording notice of a recorded interview, and none otherwise", () => {
    const notice = "Audio of this interview is recorded.";
    expect(parseJoinInfo({ room: "r", recordingNotice: notice }).recordingNotice).toBe(notice);
    expect(parseJoinInfo({ room: "r", recordingNotice: null }).recordingNotice).toBeNull();
    expect(parseJoinInfo({ room: "r" }).recordingNotice).toBeNull();
  });
});
