import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { forwardAbort } from "./abort-forwarding";

describe("forwardAbort", () => {
  it("aborts the controller with the reason of whichever source aborts first", () => {
    const a = new AbortController();
    const b = new AbortController();
    const target = new AbortController();
    forwardAbort(target, [a.signal, undefined, b.signal, null]);
    expect(target.signal.aborted).toBe(false);
    b.abort(new Error("b went"));
    expect(target.signal.aborted).toBe(true);
    expect(target.signal.reason).toEqual(new Error("b went"));
    a.abort(new Error("a went later"));
    expect(target.signal.reason).toEqual(new Error("b went"));
  });

  it("a source aborted already aborts the controller at once and leaves no listener on the others", () => {
    const live = new AbortController();
    const gone = AbortSignal.abort("already");
    const target = new AbortController();
    forwardAbort(target, [live.signal, gone]);
    expect(target.signal.reason).toBe("already");
    expect(getEventListeners(live.signal, "abort")).toHaveLength(0);
  });

  it("after unlink, the sources hold no listener and their abort no longer reaches the controller", () => {
    const a = new AbortController();
    const b = new AbortController();
    const target = new AbortController();
    const unlink = forwardAbort(target, [a.signal, b.signal]);
    expect(getEventListeners(a.signal, "abort")).toHaveLength(1);
    unlink();
    expect(getEventListeners(a.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(b.signal, "abort")).toHaveLength(0);
    a.abort();
    expect(target.signal.aborted).toBe(false);
  });
});
