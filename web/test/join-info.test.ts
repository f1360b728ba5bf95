import { describe, expect, it } from "vitest";

import { parseJoinInfo } from "../src/join-info";

describe("parseJoinInfo", () => {
  it("keeps the recording notice of a recorded interview, and none otherwise", () => {
    const notice = "Audio of this interview is recorded.";
    expect(parseJoinInfo({ room: "r", recordingNotice: notice }).recordingNotice).toBe(notice);
    expect(parseJoinInfo({ room: "r", recordingNotice: null }).recordingNotice).toBeNull();
    expect(parseJoinInfo({ room: "r" }).recordingNotice).toBeNull();
  });

  it("keeps the server's reason a finished link no longer works", () => {
    const message = "This interview link expired before the interview was started; ask the hiring team for a new one.";
    expect(parseJoinInfo({ room: "r", status: "cancelled", message }).message).toBe(message);
    expect(parseJoinInfo({ room: "r" }).message).toBeNull();
  });
});
