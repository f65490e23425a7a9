import { Injectable } from '@nestjs/common';
import { conversationRoom, DomainError } from '@jiaxiao/common';
import { DbExecutor } from '@jiaxiao/db';
import { RealtimePublisher } from '@jiaxiao/notifications';
import { GroupRosters } from './group-rosters';
import { MessagingRepository } from './messaging.repository';

export interface LectureRoomRef {
  id: string;
  title: string;
  schoolId: string | null;
}

/**
 * A lecture's Q&A room (讲座答疑群): a `lecture_room` conversation per lecture, opened when the
 * lecture is published. The courses context, which sits above messaging, decides who is in it:
 * the organiser and the speaker as staff (they answer), registered parents and the audience who
 * open it as members (they ask, during and after the lecture). Messages go through the usual
 * routes and the gateway. Opening and joining are idempotent; nobody is taken out (a guardian who
 * cancels may still read the answers), so a room only ever gains members.
 */
@Injectable()
export class LectureRoomService {
  constructor(
    private readonly repository: MessagingRepository,
    private readonly realtime: RealtimePublisher,
    private readonly rosters: GroupRosters,
  ) {}

  /**
   * The worker's sync, queued from `lecture.published` and `registration.made`: opens the room of a
   * published lecture if a crash left it unopened and adds its organiser and every registered or
   * waiting guardian missing from it. Any number of runs leave the same room.
   */
  async sync(lectureId: string): Promise<void> {
    const roster = await this.rosters.of('lecture_room', lectureId);
    if (roster) await this.join(roster.ref, roster.people);
  }

  /** Opens the room (if not yet open) and adds these users; a member named as staff becomes staff. Returns the room's id. */
  async join(lecture: LectureRoomRef, people: { userId: string; role: 'staff' | 'member' }[]): Promise<string> {
    const { roomId, joined } = await this.repository.transaction(async (tx) => {
      const room = await this.ensure(lecture, tx);
      const added = await this.repository.addMembers(room.id, people, 0, tx);
      const promoted = people.filter((p) => p.role === 'staff' && !added.includes(p.userId)).map((p) => p.userId);
      await this.repository.updateRoles(room.id, promoted, 'staff', tx);
      return { roomId: room.id, joined: added };
    });
    await this.realtime.join(joined, conversationRoom(roomId));
    return roomId;
  }

  async roleOf(conversationId: string, userId: string): Promise<'staff' | 'member' | undefined> {
    return (await this.repository.membership(conversationId, userId))?.role;
  }

  private async ensure(lecture: LectureRoomRef, tx: DbExecutor) {
    await this.repository.insertConversation(
      { kind: 'lecture_room', title: `讲座答疑：${lecture.title}`.slice(0, 100), schoolId: lecture.schoolId, refId: lecture.id },
      tx,
    );
    const room = await this.repository.groupByRef('lecture_room', lecture.id, tx);
    if (!room) throw new DomainError('CONVERSATION_NOT_FOUND');
    return room;
  }
}
