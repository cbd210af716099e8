// The host effects of the agent (report, fetch, fetch_cancel, apply_json, reset) for the
// specs: each is recorded, and test-only imports let a spec read the record back and set
// what fetch and apply_json answer. Declared on the AssemblyScript side in
// tests/agent/engine-host.ts. Specs of storage never call the effects.

/** Effect and test imports for one spec module; `memory()` returns its memory. */
export function engineHostImports(memory) {
  const bytes = (ptr, len) => new Uint8Array(memory().buffer, ptr, len);
  let reports = [];
  let fetches = [];
  let cancels = 0;
  let resets = 0;
  let applied = 0;
  let fetchResult = 0;
  let applyResult = 0;
  return {
    report: (channel, ptr, len) => { reports.push({ channel, body: bytes(ptr, len).slice() }); },
    fetch: (ptr, len, offset) => {
      fetches.push({ url: bytes(ptr, len).slice(), offset: offset >>> 0 });
      return fetchResult;
    },
    fetch_cancel: () => { cancels++; },
    apply_json: () => { applied++; return applyResult; },
    reset: () => { resets++; },
    test_effects_clear: () => {
      reports = [];
      fetches = [];
      cancels = resets = applied = fetchResult = applyResult = 0;
    },
    test_report_count: () => reports.length,
    test_report_channel: (index) => reports[index].channel,
    /** Copies report `index` to ptr (at most cap bytes); returns its full length. */
    test_report_copy: (index, ptr, cap) => {
      const body = reports[index].body;
      bytes(ptr, Math.min(cap, body.length)).set(body.subarray(0, cap));
      return body.length;
    },
    test_fetch_count: () => fetches.length,
    test_fetch_offset: (index) => fetches[index].offset,
    test_cancel_count: () => cancels,
    test_reset_count: () => resets,
    test_apply_count: () => applied,
    test_set_fetch_result: (value) => { fetchResult = value; },
    test_set_apply_result: (value) => { applyResult = value; },
  };
}
