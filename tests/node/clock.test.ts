import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, SystemClock } from '../../firmware-sim/clock.ts';

describe('ManualClock', () => {
  it('runs due callbacks in time order when advanced, and only those', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.at(1300, () => fired.push('c'));
    clock.at(1100, () => fired.push('a'));
    clock.at(1200, () => fired.push('b'));
    clock.advance(250);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.now(), 1250);
    clock.advance(50);
    assert.deepEqual(fired, ['a', 'b', 'c']);
  });

  it('runs callbacks scheduled by callbacks when they are already due', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.at(10, () => {
      fired.push(clock.now());
      clock.at(5, () => fired.push(-1));
    });
    clock.set(20);
    assert.deepEqual(fired, [20, -1]);
  });

  it('does not run a cancelled callback', () => {
    const clock = new ManualClock(0);
    let fired = false;
    const cancel = clock.at(10, () => (fired = true));
    cancel();
    clock.advance(100);
    assert.equal(fired, false);
  });

  it('refuses to go back in time or advance by a negative amount', () => {
    const clock = new ManualClock(500);
    assert.throws(() => clock.set(499), /cannot go back in time/);
    assert.throws(() => clock.advance(-1), /non-negative/);
  });
});

describe('SystemClock', () => {
  it('calls back once the wall-clock time is reached', async () => {
    const clock = new SystemClock();
    const target = clock.now() + 40;
    // SystemClock timers are unref'd; this one keeps the process alive while we wait.
    const keepAlive = setTimeout(() => {}, 5000);
    const firedAt = await new Promise<number>((resolve) => clock.at(target, () => resolve(Date.now())));
    clearTimeout(keepAlive);
    assert.ok(firedAt >= target);
  });

  it('never calls back synchronously, even for a time already past', () => {
    const clock = new SystemClock();
    let fired = false;
    const cancel = clock.at(0, () => (fired = true));
    assert.equal(fired, false);
    cancel();
  });
});
