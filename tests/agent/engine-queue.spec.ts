// The queue of events raised by handlers: first in, first out, and an event that does not
// fit is dropped and counted rather than overwriting one already queued.
import { AgentEvent } from "../../assembly/otau/events";
import { clearRaised, hasRaised, raise, raisedDropped, takeRaised } from "../../assembly/otau/queue";

describe("raised-event queue", () => {
  beforeEach(() => {
    clearRaised();
  });

  it("hands events back in the order they were raised", () => {
    raise(AgentEvent.Abort);
    raise(AgentEvent.Begin);
    expect(takeRaised()).toBe(AgentEvent.Abort);
    expect(takeRaised()).toBe(AgentEvent.Begin);
    expect(hasRaised()).toBe(false);
  });

  it("keeps the first eight events when a ninth does not fit, and counts the one dropped", () => {
    const before = raisedDropped();
    for (let i = 0; i < 8; i++) raise(i % 2 == 0 ? AgentEvent.Abort : AgentEvent.Begin);
    expect(raisedDropped()).toBe(before);
    raise(AgentEvent.Failed);
    expect(raisedDropped()).toBe(before + 1);
    let taken = 0;
    while (hasRaised()) {
      expect(takeRaised()).toBe(taken % 2 == 0 ? AgentEvent.Abort : AgentEvent.Begin);
      taken++;
    }
    expect(taken).toBe(8);
  });
});
