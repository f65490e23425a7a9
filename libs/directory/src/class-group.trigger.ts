import { Injectable } from '@nestjs/common';
import { DbExecutor } from '@jiaxiao/db';
import { OutboxService } from '@jiaxiao/platform';

/**
 * Tells whoever keeps class groups (messaging, above the directory) that a class's roster or
 * teachers changed, or that a class moved up a year: domain events recorded in the change's own
 * transaction, handed on after the commit with `publish` (and by the worker's relay after a crash).
 */
@Injectable()
export class ClassGroupTrigger {
  constructor(private readonly outbox: OutboxService) {}

  /** `roster.changed`, in the transaction that changed the class's students, guardians or teachers. */
  classChanged(tx: DbExecutor, classId: string): Promise<number> {
    return this.outbox.record(tx, 'roster.changed', { classId });
  }

  /** `class.promoted`, in the rollover's transaction (升级): the class's group goes with it. */
  classMoved(tx: DbExecutor, fromClassId: string, toClassId: string): Promise<number> {
    return this.outbox.record(tx, 'class.promoted', { fromClassId, toClassId });
  }

  /** After the commit. */
  publish(events: number[]): Promise<void> {
    return this.outbox.publish(...events);
  }
}
