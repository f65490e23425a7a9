import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DomainError, Principal, QUEUES } from '@jiaxiao/common';
import { REDIS } from '@jiaxiao/platform';
import { CoursesRepository } from './courses.repository';
import { LectureRepository } from './lecture.repository';
import { AttendanceRepository } from './attendance.repository';
import { HourLedgerService } from './hour-ledger.service';
import { LectureService } from './lecture.service';

/** A beat counts at most the time since the previous one, and never more than this. */
export const MAX_BEAT_SECONDS = 35;
/** Online credit once the watched time reaches this share of the lecture's duration. */
export const CREDIT_SHARE = 0.8;
export const FLUSH_EVERY_MS = 30_000;

/**
 * Online attendance. Clients send `lecture:heartbeat` through the gateway every ≤ 30 s while the
 * stream is visible (hidden tabs send none). Beats accrue in Redis — one device per user counts
 * at a time — and the worker flushes them to PostgreSQL, crediting past 80% of the duration.
 * Live and replay add up for one lecture, which is credited once.
 */
@Injectable()
export class WatchTimeService implements OnModuleInit {
  constructor(
    private readonly repository: CoursesRepository,
    private readonly lectureRepository: LectureRepository,
    private readonly attendanceRepository: AttendanceRepository,
    private readonly lectures: LectureService,
    private readonly ledger: HourLedgerService,
    @Inject(REDIS) private readonly redis: Redis,
    @InjectQueue(QUEUES.courses) private readonly queue: Queue,
  ) {}

  /** Every process that can run the flush makes sure the repeating job exists (idempotent). */
  async onModuleInit(): Promise<void> {
    await this.queue.upsertJobScheduler('watch-flush', { every: FLUSH_EVERY_MS }, { name: 'watch.flush', data: {} });
  }

  async beat(principal: Principal, lectureId: string, deviceId: string, now = Date.now()): Promise<{ counted: number }> {
    const lecture = await this.lectures.mustGet(lectureId);
    if (lecture.mode === 'offline') throw new DomainError('NOT_AN_ONLINE_LECTURE');
    if (lecture.status !== 'published' && lecture.status !== 'finished') throw new DomainError('LECTURE_NOT_OPEN');
    // Watching is not registering: say why a beat cannot count rather than "not open for registration".
    if (now < lecture.startsAt.getTime()) throw new DomainError('LECTURE_NOT_STARTED');
    if (now > lecture.endsAt.getTime() && !lecture.replayUrl) throw new DomainError('LECTURE_ENDED');
    await this.lectures.assertInAudience(principal, lecture);

    // Read, decide and write in one script: beats handled concurrently (a burst, a retry, two
    // sockets) would otherwise all see the same previous beat and each count the gap.
    const counted = (await this.redis.eval(
      BEAT_SCRIPT,
      2,
      beatKey(lectureId, principal.userId),
      DIRTY,
      deviceId,
      String(now),
      String(MAX_BEAT_SECONDS),
      `${lectureId}:${principal.userId}`,
      String(24 * 3600),
    )) as number;
    return { counted };
  }

  /** Moves pending seconds into attendance rows and credits whoever has reached 80%. */
  async flush(): Promise<number> {
    let credited = 0;
    const members = await this.redis.smembers(DIRTY);
    for (const member of members) {
      const [lectureId, userId] = member.split(':');
      await this.redis.srem(DIRTY, member);
      const key = beatKey(lectureId, userId);
      // Take the pending seconds atomically: beats arriving meanwhile start a new count.
      const [[, pending]] = (await this.redis.multi().hget(key, 'pending').hset(key, 'pending', '0').exec()) as [[null, string | null]];
      const seconds = Number(pending ?? 0);
      if (seconds <= 0) continue;
      const lecture = await this.lectureRepository.lecture(lectureId);
      if (!lecture) continue;
      try {
        credited += await this.repository.transaction(async (tx) => {
          const total = await this.attendanceRepository.addWatched(lectureId, userId, seconds, tx);
          const duration = (lecture.endsAt.getTime() - lecture.startsAt.getTime()) / 1000;
          if (total < duration * CREDIT_SHARE) return 0;
          return (await this.ledger.credit({ guardianId: userId, lecture, source: 'online' }, tx)) > 0 ? 1 : 0;
        });
      } catch (error) {
        // Put the seconds back for the next flush rather than lose them.
        await this.redis.multi().hincrby(key, 'pending', seconds).sadd(DIRTY, member).exec();
        throw error;
      }
    }
    return credited;
  }
}

const DIRTY = 'watch:dirty';

/**
 * KEYS: the user's beat hash, the dirty set; ARGV: device, now (ms), cap (s), dirty member, ttl (s).
 * Another device that beat within the cap is the one counting: this beat is a second screen and
 * counts nothing. Otherwise the device becomes the counting one; a beat from the same device counts
 * the whole seconds since its previous beat, at most the cap. Returns the seconds counted.
 */
const BEAT_SCRIPT = `
local device = redis.call('HGET', KEYS[1], 'device')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local elapsed = 0
if last > 0 then elapsed = math.floor((now - last) / 1000) end
if device and device ~= ARGV[1] and elapsed <= cap then return 0 end
local counted = 0
if device == ARGV[1] then counted = math.min(math.max(elapsed, 0), cap) end
redis.call('HSET', KEYS[1], 'device', ARGV[1], 'last', ARGV[2])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
if counted > 0 then
  redis.call('HINCRBY', KEYS[1], 'pending', counted)
  redis.call('SADD', KEYS[2], ARGV[4])
end
return counted
`;
const beatKey = (lectureId: string, userId: string) => `watch:${lectureId}:${userId}`;
