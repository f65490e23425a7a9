import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JobHandlers, QUEUES } from '@jiaxiao/common';
import { ConversationService, LectureRoomService, MessagePartitionsService } from '@jiaxiao/messaging';
import { dispatch } from './dispatch';

@Processor(QUEUES.messaging, { concurrency: 2 })
export class MessagingProcessor extends WorkerHost {
  constructor(
    private readonly conversations: ConversationService,
    private readonly partitions: MessagePartitionsService,
    private readonly lectureRooms: LectureRoomService,
  ) {
    super();
  }

  private readonly handlers: JobHandlers<'messaging'> = {
    'conversation.sync-class': async (payload) => {
      await this.conversations.syncClassGroup(payload.classId);
    },
    'conversation.move-class': (payload) => this.conversations.moveClassGroup(payload.fromClassId, payload.toClassId),
    'conversation.sync-committee': async (payload) => {
      await this.conversations.syncCommitteeGroup(payload.committeeId);
    },
    'conversation.sync-lecture-room': (payload) => this.lectureRooms.sync(payload.lectureId),
    'messages.partitions': async () => {
      await this.partitions.ensure();
    },
  };

  process(job: Job): Promise<void> {
    return dispatch(QUEUES.messaging, this.handlers, job);
  }
}
