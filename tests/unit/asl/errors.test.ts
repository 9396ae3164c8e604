import { describe, expect, it } from "vitest";
import { errorMatches, findCatcher, findRetrier, StatesError, stateErrorCause } from "@/lib/asl/errors";

describe("errorMatches", () => {
  it("matches an exact error name", () => {
    expect(errorMatches(["CustomException"], "CustomException")).toBe(true);
  });

  it("is case-sensitive", () => {
    expect(errorMatches(["customexception"], "CustomException")).toBe(false);
  });

  it("does not match a different name", () => {
    expect(errorMatches(["Lambda.Unknown"], "Exception")).toBe(false);
  });

  it("matches any name in the list", () => {
    expect(errorMatches(["A", "B"], "B")).toBe(true);
  });

  it("lets States.ALL match a task's error", () => {
    expect(errorMatches(["States.ALL"], "Lambda.ServiceException")).toBe(true);
  });

  it("lets States.ALL match States.Timeout", () => {
    expect(errorMatches(["States.ALL"], "States.Timeout")).toBe(true);
  });

  it("does not let States.ALL match States.Runtime", () => {
    expect(errorMatches(["States.ALL"], "States.Runtime")).toBe(false);
  });

  it("does not let an explicit States.Runtime match States.Runtime (it is never retried or caught)", () => {
    expect(errorMatches(["States.Runtime"], "States.Runtime")).toBe(false);
  });

  it("lets States.ALL catch a task's States.DataLimitExceeded (recorded on AWS)", () => {
    expect(errorMatches(["States.ALL"], "States.DataLimitExceeded")).toBe(true);
  });

  it("lets States.TaskFailed match a service error", () => {
    expect(errorMatches(["States.TaskFailed"], "S3.NoSuchBucketException")).toBe(true);
  });

  it("does not let States.TaskFailed match States.Timeout", () => {
    expect(errorMatches(["States.TaskFailed"], "States.Timeout")).toBe(false);
  });

  it("lets States.HeartbeatTimeout match a heartbeat expiry recorded as States.Timeout", () => {
    expect(errorMatches(["States.HeartbeatTimeout"], "States.Timeout", { heartbeatTimeout: true })).toBe(true);
  });

  it("does not let States.HeartbeatTimeout match a plain States.Timeout", () => {
    expect(errorMatches(["States.HeartbeatTimeout"], "States.Timeout")).toBe(false);
  });

  it("lets States.Timeout match States.Timeout", () => {
    expect(errorMatches(["States.Timeout"], "States.Timeout")).toBe(true);
  });
});

describe("findRetrier and findCatcher", () => {
  it("finds the first matching retrier in order", () => {
    const retry = [{ ErrorEquals: ["A"] }, { ErrorEquals: ["States.ALL"] }, { ErrorEquals: ["B"] }];
    expect(findRetrier(retry, "B")).toBe(1);
  });

  it("returns -1 when no catcher matches", () => {
    expect(findCatcher([{ ErrorEquals: ["A"], Next: "X" }], "B")).toBe(-1);
  });

  it("returns -1 when there is no Retry field", () => {
    expect(findRetrier(undefined, "A")).toBe(-1);
  });
});

describe("StatesError", () => {
  it("builds AWS's decorated cause for States.Runtime", () => {
    const err = new StatesError("States.Runtime", "The SecondsPath parameter references a negative value: $.s == -1");
    expect(err.fullCause("WaitState", 2)).toBe(
      "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter references a negative value: $.s == -1",
    );
  });

  it("keeps the cause of other errors undecorated", () => {
    expect(new StatesError("States.ResultPathMatchFailure", "x").fullCause("S", 2)).toBe("x");
  });

  it("gives the catcher's error output", () => {
    expect(new StatesError("States.IntrinsicFailure", "bad").toErrorOutput()).toEqual({ Error: "States.IntrinsicFailure", Cause: "bad" });
  });

  it("formats the prefix on its own", () => {
    expect(stateErrorCause("S", 7, "d")).toBe("An error occurred while executing the state 'S' (entered at the event id #7). d");
  });
});
