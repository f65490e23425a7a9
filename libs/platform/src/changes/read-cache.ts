import { Injectable } from '@nestjs/common';
import { AppConfig } from '@jiaxiao/common';
import { shareAnswer } from '../http/shared-answers';
import { MetricsService } from '../metrics/metrics.service';
import { ChangeFeed, ChangeListener } from './change-feed';

export type ReadOutcome = 'hit' | 'miss' | 'bypass';

export interface ReadCacheOptions {
  /** How long an answer is kept at most, even when nothing it depends on changes. 0 turns the cache off. */
  ttlMs: number;
  /** Entries kept at most; the oldest go first. */
  max: number;
  /** Payloads of the change feed that drop every entry (`places`, `courses`). */
  flushOn: string[];
  /** Counts each read: from memory, from the loader, or from the loader while the cache is off or its feed down. */
  count?: (outcome: ReadOutcome) => void;
}

export interface Cacheable<V> {
  value: V;
  /** The change-feed payloads whose notification drops this answer (`user:<id>`, `student:<id>`). */
  tags: string[];
  /** When the answer stops being right with no change at all (a lecture ends); ms since the epoch. */
  expiresAt?: number;
}

interface Entry<V> {
  value: V;
  tags: string[];
  expiresAt: number;
}

/** Payloads remembered at most while loads are out; past it every load out is treated as stale. */
const REMEMBERED_CHANGES = 100_000;

/**
 * Answers kept in this process and dropped when the database says what they depend on changed
 * (ChangeFeed): a read made after this process answered a write first catches up with the feed,
 * so a caller sees their own change at once; other processes' changes arrive a moment after their
 * commit. An answer read while one of its dependencies changed is not kept. With the feed down,
 * or the TTL 0, every read goes to the loader.
 */
export class ReadCache<K extends string, V> implements ChangeListener {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly byTag = new Map<string, Set<K>>();
  /** Notifications heard so far; a load compares what changed after it started. */
  private heard = 0;
  /** The last notification of each payload heard while loads were out; cleared when none is. */
  private readonly changedAt = new Map<string, number>();
  /** The last reset (or forgetting of changedAt) while loads were out. */
  private resetAt = 0;
  private loadsOut = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly options: ReadCacheOptions,
  ) {
    if (options.ttlMs > 0) feed.subscribe(this);
  }

  /**
   * The kept answer for `key`, or the loader's, kept when nothing it depends on changed meanwhile.
   * A loader's undefined (nothing found) is answered and not kept.
   */
  async read(key: K, load: () => Promise<Cacheable<V> | undefined>): Promise<V | undefined> {
    if (this.options.ttlMs <= 0 || !this.feed.live) {
      this.options.count?.('bypass');
      return (await load())?.value;
    }
    let kept = this.entries.get(key);
    // Only an answer from memory needs the feed caught up; a miss reads the database afresh anyway.
    if (kept && this.feed.behind) {
      await this.feed.caughtUp();
      kept = this.entries.get(key);
    }
    if (kept && kept.expiresAt > Date.now()) {
      this.options.count?.('hit');
      return kept.value;
    }
    this.options.count?.('miss');
    if (kept) this.drop(key);
    const started = this.heard;
    this.loadsOut += 1;
    try {
      const loaded = await load();
      if (!loaded) return undefined;
      const changedSince = this.resetAt > started || loaded.tags.some((t) => (this.changedAt.get(t) ?? 0) > started);
      if (!changedSince && this.feed.live) this.keep(key, loaded);
      return loaded.value;
    } finally {
      this.loadsOut -= 1;
      if (this.loadsOut === 0) this.changedAt.clear();
    }
  }

  changed(payload: string): void {
    if (this.options.flushOn.includes(payload)) return this.reset();
    this.heard += 1;
    if (this.loadsOut > 0) {
      if (this.changedAt.size >= REMEMBERED_CHANGES) {
        this.changedAt.clear();
        this.resetAt = this.heard;
      }
      this.changedAt.set(payload, this.heard);
    }
    const keys = this.byTag.get(payload);
    if (keys) for (const key of [...keys]) this.drop(key);
  }

  reset(): void {
    this.entries.clear();
    this.byTag.clear();
    this.heard += 1;
    this.resetAt = this.heard;
  }

  private keep(key: K, { value, tags, expiresAt }: Cacheable<V>): void {
    this.drop(key);
    // Entries are kept in the order they were read: the expired ones at the front go first.
    const now = Date.now();
    for (const [oldKey, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.drop(oldKey);
    }
    if (this.entries.size >= this.options.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    // Every caller gets this very object from now on (the HTTP apps serialize it once).
    shareAnswer(value);
    this.entries.set(key, { value, tags, expiresAt: Math.min(expiresAt ?? Infinity, now + this.options.ttlMs) });
    for (const tag of tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  private drop(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const tag of entry.tags) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(tag);
    }
  }
}

/** Makes the apps' read caches: the change feed, READ_CACHE_SECONDS and the `read_cache_reads_total` count are the same for all. */
@Injectable()
export class ReadCaches {
  constructor(
    private readonly changes: ChangeFeed,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  create<K extends string, V>(name: string, options: Pick<ReadCacheOptions, 'max' | 'flushOn'>): ReadCache<K, V> {
    return new ReadCache<K, V>(this.changes, {
      ...options,
      ttlMs: this.config.READ_CACHE_SECONDS * 1000,
      count: (outcome) => this.metrics.cacheReads.inc({ cache: name, outcome }),
    });
  }
}
