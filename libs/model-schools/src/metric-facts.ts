import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DomainEvents, enqueue, EventHandlers, JobPayloads, MetricFactEvent, QUEUES, ReactsToEvents } from '@jiaxiao/common';
import { LectureService } from '@jiaxiao/courses';
import { MetricFact, ModelSchoolsRepository } from './model-schools.repository';

const FACT_EVENTS: MetricFactEvent[] = [
  'staff.appointed',
  'staff.revoked',
  'committee.established',
  'lecture.published',
  'lecture.rescheduled',
  'lecture.cancelled',
  'campaign-submission.made',
  'campaign-submission.rejected',
];

/**
 * The events behind the counted indicators: each queues one `model-school.fact` job (job id = the
 * event's), which writes its facts. Handlers run in the relay's transaction, so they only queue.
 */
@Injectable()
@ReactsToEvents()
export class MetricFactsReactor implements ReactsToEvents {
  constructor(@InjectQueue(QUEUES.modelSchools) private readonly queue: Queue) {}

  eventHandlers(): EventHandlers {
    const queue =
      <E extends MetricFactEvent>(event: E) =>
      (payload: DomainEvents[E], { id }: { id: number }) =>
        enqueue(this.queue, 'model-school.fact', { event, eventId: id, payload } as JobPayloads['model-school.fact'], {
          jobId: `model-school-fact-${id}`,
        });
    return Object.fromEntries(FACT_EVENTS.map((event) => [event, queue(event)])) as EventHandlers;
  }
}

/**
 * Turns an event into the facts it stands for. Keys name the change (an assignment's appointment,
 * a lecture's publication, a move by its event), the same keys the migration's backfill wrote, so a
 * repeated event or job writes nothing more.
 */
@Injectable()
export class MetricFactsService {
  constructor(
    private readonly repository: ModelSchoolsRepository,
    private readonly lectures: LectureService,
  ) {}

  async record(job: JobPayloads['model-school.fact']): Promise<void> {
    await this.repository.insertFacts(await this.factsOf(job));
  }

  private async factsOf(job: JobPayloads['model-school.fact']): Promise<MetricFact[]> {
    switch (job.event) {
      case 'staff.appointed':
      case 'staff.revoked': {
        const { assignmentId, role, scopeType, scopeId, at } = job.payload;
        if (role !== 'coordinator' || scopeType !== 'school' || !scopeId) return [];
        const appointed = job.event === 'staff.appointed';
        return [
          {
            key: `coordinator.${appointed ? 'appointed' : 'revoked'}:${assignmentId}`,
            schoolId: scopeId,
            schoolYearId: null,
            metric: 'coordinator',
            subject: assignmentId,
            delta: appointed ? 1 : -1,
            occurredAt: new Date(at),
          },
        ];
      }
      case 'committee.established': {
        const { committeeId, schoolId, schoolYearId, level, at } = job.payload;
        return [
          {
            key: `committee.established:${committeeId}`,
            schoolId,
            schoolYearId,
            metric: 'committee_level',
            subject: level,
            delta: 1,
            occurredAt: new Date(at),
          },
        ];
      }
      case 'lecture.published':
      case 'lecture.cancelled':
        return this.lectureFacts(job.payload.lectureId, [
          { key: `${job.event}:${job.payload.lectureId}`, delta: job.event === 'lecture.published' ? 1 : -1, at: job.payload.startsAt },
        ]);
      case 'lecture.rescheduled': {
        const { lectureId, from, to } = job.payload;
        const key = `lecture.rescheduled:${job.eventId}`;
        return this.lectureFacts(lectureId, [
          { key: `${key}:from`, delta: -1, at: from },
          { key: `${key}:to`, delta: 1, at: to },
        ]);
      }
      case 'campaign-submission.made': {
        const { submissionId, studentId, schoolId, schoolYearId, at } = job.payload;
        return [
          {
            key: `campaign-submission.made:${submissionId}`,
            schoolId,
            schoolYearId,
            metric: 'campaign_household',
            subject: studentId,
            delta: 1,
            occurredAt: new Date(at),
          },
        ];
      }
      case 'campaign-submission.rejected': {
        // The entry's own fact says whose and where; until its job has run, this one retries.
        const made = await this.repository.fact(`campaign-submission.made:${job.payload.submissionId}`);
        if (!made) throw new Error(`campaign submission ${job.payload.submissionId}: its entry's fact is not written yet`);
        return [
          { ...made, key: `campaign-submission.rejected:${job.payload.submissionId}`, delta: -1, occurredAt: new Date(job.payload.at) },
        ];
      }
    }
  }

  /** A school's lecture counts as held from its start: published +1, cancelled −1, a move −1 at the old time and +1 at the new. */
  private async lectureFacts(lectureId: string, changes: { key: string; delta: 1 | -1; at: string }[]): Promise<MetricFact[]> {
    const place = await this.lectures.place(lectureId);
    if (!place?.schoolId) return [];
    const { schoolId, schoolYearId } = place;
    return changes.map((c) => ({
      key: c.key,
      schoolId,
      schoolYearId,
      metric: 'lecture_held',
      subject: lectureId,
      delta: c.delta,
      occurredAt: new Date(c.at),
    }));
  }
}
