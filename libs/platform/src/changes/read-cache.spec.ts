import type { ChangeFeed, ChangeListener } from './change-feed';
import { ReadCache } from './read-cache';

/** A feed that is live and caught up; the test plays its notifications. */
function liveFeed(): { feed: ChangeFeed; listeners: ChangeListener[] } {
  const listeners: ChangeListener[] = [];
  const feed = { live: true, behind: false, subscribe: (l: ChangeListener) => listeners.push(l) } as unknown as ChangeFeed;
  return { feed, listeners };
}

describe('ReadCache', () => {
  const options = { ttlMs: 60_000, max: 100, flushOn: ['places'] };

  /** A loader whose answer the test releases, counting its calls. */
  function gate() {
    let calls = 0;
    let release: () => void = () => undefined;
    const load = () => {
      calls += 1;
      return new Promise<{ value: number; tags: string[] }>((resolve) => {
        release = () => resolve({ value: calls, tags: ['user:1', 'student:1'] });
      });
    };
    return { load, release: () => release(), calls: () => calls };
  }

  it('keeps an answer, and drops it when a payload it depends on is notified', async () => {
    const { feed, listeners } = liveFeed();
    const cache = new ReadCache<string, number>(feed, options);
    const g = gate();
    const first = cache.read('k', g.load);
    g.release();
    expect(await first).toBe(1);
    expect(await cache.read('k', g.load)).toBe(1);
    listeners[0].changed('student:2');
    expect(await cache.read('k', g.load)).toBe(1);
    listeners[0].changed('student:1');
    const again = cache.read('k', g.load);
    g.release();
    expect(await again).toBe(2);
  });

  it('does not keep an answer read while one of its dependencies, or everything, changed', async () => {
    for (const change of ['user:1', 'places']) {
      const { feed, listeners } = liveFeed();
      const cache = new ReadCache<string, number>(feed, options);
      const g = gate();
      const read = cache.read('k', g.load);
      listeners[0].changed(change);
      g.release();
      expect(await read).toBe(1);
      const next = cache.read('k', g.load);
      g.release();
      expect(await next).toBe(2);
    }
  });

  it('keeps an answer read while something else changed', async () => {
    const { feed, listeners } = liveFeed();
    const cache = new ReadCache<string, number>(feed, options);
    const g = gate();
    const read = cache.read('k', g.load);
    listeners[0].changed('user:2');
    g.release();
    await read;
    expect(await cache.read('k', g.load)).toBe(1);
    expect(g.calls()).toBe(1);
  });
});
