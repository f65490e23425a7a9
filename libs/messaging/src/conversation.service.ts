import { Injectable } from '@nestjs/common';
import { conversationRoom, decodeTimeIdCursor, DEFAULT_PAGE_SIZE, DomainError, Principal, toPage } from '@jiaxiao/common';
import { DbExecutor, SystemEvent } from '@jiaxiao/db';
import { RealtimePublisher } from '@jiaxiao/notifications';
import { GroupRosters } from './group-rosters';
import { ConversationDto, ConversationPageDto, ListConversationsQueryDto, MemberDto } from './dto/message.dto';
import { toMessageDto } from './message.mapper';
import { MessageRow, MessagingRepository } from './messaging.repository';
import { MessageRepository } from './message.repository';

/** A class group holds at most this many members. */
export const MAX_GROUP_MEMBERS = 500;

@Injectable()
export class ConversationService {
  constructor(
    private readonly repository: MessagingRepository,
    private readonly messageRepository: MessageRepository,
    private readonly realtime: RealtimePublisher,
    private readonly rosters: GroupRosters,
  ) {}

  async list(principal: Principal, query: ListConversationsQueryDto): Promise<ConversationPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeTimeIdCursor(query.cursor);
    const rows = await this.repository.listForUser(principal.userId, { before: before ?? undefined, limit });
    const page = toPage(rows, limit, (r) => [r.activity, r.conversation.id]);
    const ids = page.items.map((r) => r.conversation.id);
    const last = await this.repository.lastMessages(ids);
    const directTitles = await this.directTitles(
      principal,
      page.items.filter((r) => r.conversation.kind === 'direct').map((r) => r.conversation.id),
    );
    return {
      items: page.items.map(({ conversation: c, lastReadSeq }) =>
        toConversationDto(c, lastReadSeq, last.get(c.id), directTitles.get(c.id)),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** Ids of the user's conversations: the rooms a socket joins on connect. */
  idsOf(userId: string): Promise<string[]> {
    return this.repository.conversationIdsOf(userId);
  }

  async get(principal: Principal, conversationId: string): Promise<ConversationDto> {
    const c = await this.repository.conversation(conversationId);
    const member = c && (await this.repository.membership(conversationId, principal.userId));
    if (!c || !member) throw new DomainError('CONVERSATION_NOT_FOUND');
    const last = await this.repository.lastMessages([c.id]);
    const titles = c.kind === 'direct' ? await this.directTitles(principal, [c.id]) : new Map<string, string>();
    return toConversationDto(c, member.lastReadSeq, last.get(c.id), titles.get(c.id));
  }

  async members(conversationId: string): Promise<MemberDto[]> {
    const rows = await this.repository.members(conversationId);
    return rows.map((m) => ({ userId: m.userId, name: m.name, role: m.role }));
  }

  /**
   * Opens (or returns) the direct chat of a teacher or coordinator and a guardian of a student
   * they serve. Parents cannot open chats with other parents or with staff of other schools.
   */
  async openDirect(principal: Principal, otherUserId: string): Promise<ConversationDto> {
    if (otherUserId === principal.userId) throw new DomainError('DIRECT_CHAT_NOT_ALLOWED');
    const [callerServes, otherServes] = await Promise.all([
      this.repository.servesFamily(principal.userId, otherUserId),
      this.repository.servesFamily(otherUserId, principal.userId),
    ]);
    if (!callerServes && !otherServes) throw new DomainError('DIRECT_CHAT_NOT_ALLOWED');
    const key = [principal.userId, otherUserId].sort().join(':');
    const conversation = await this.repository.transaction(async (tx) => {
      const names = await this.repository.namesOf([principal.userId, otherUserId], tx);
      await this.repository.insertConversation({ kind: 'direct', title: [...names.values()].join('、').slice(0, 100), directKey: key }, tx);
      const row = await this.repository.directByKey(key, tx);
      if (!row) throw new DomainError('CONVERSATION_NOT_FOUND');
      const staffId = callerServes ? principal.userId : otherUserId;
      const guardianId = staffId === principal.userId ? otherUserId : principal.userId;
      await this.repository.addMembers(
        row.id,
        [
          { userId: staffId, role: 'staff' },
          { userId: guardianId, role: 'member' },
        ],
        0,
        tx,
      );
      return row;
    });
    await this.realtime.join([principal.userId, otherUserId], conversationRoom(conversation.id));
    return this.get(principal, conversation.id);
  }

  async setStaffOnly(principal: Principal, conversationId: string, staffOnly: boolean): Promise<ConversationDto> {
    const c = await this.repository.conversation(conversationId);
    if (!c || c.kind === 'direct') throw new DomainError('CONVERSATION_NOT_FOUND');
    await this.repository.setStaffOnly(conversationId, staffOnly);
    await this.realtime.emit([conversationRoom(conversationId)], 'conversation:updated', { conversationId, staffOnly });
    return this.get(principal, conversationId);
  }

  /**
   * Brings a class group in line with the roster and the class's teachers: guardians join as
   * members, teachers as staff; those no longer linked leave. Creates the group on first use.
   * One transaction; sockets join or leave the room after commit.
   */
  async syncClassGroup(classId: string): Promise<{ conversationId: string; joined: string[]; left: string[] } | undefined> {
    const outcome = await this.repository.transaction(async (tx) => {
      const place = await this.repository.classTitle(classId, tx);
      if (!place) return undefined;
      await this.repository.insertConversation({ kind: 'class_group', title: place.title, schoolId: place.schoolId, classId }, tx);
      const group = await this.repository.classGroup(classId, tx);
      if (!group) return undefined;
      const { guardianIds, teacherIds } = await this.repository.classAudience(classId, tx);
      const staff = new Set(teacherIds);
      const wanted = [...teacherIds, ...guardianIds.filter((id) => !staff.has(id))].slice(0, MAX_GROUP_MEMBERS);
      const wantedSet = new Set(wanted);
      const current = await this.repository.members(group.id, tx);
      const currentIds = new Set(current.map((m) => m.userId));
      // New members start with everything before their arrival read.
      const joined = await this.repository.addMembers(
        group.id,
        wanted
          .filter((id) => !currentIds.has(id))
          .map((userId) => ({ userId, role: staff.has(userId) ? ('staff' as const) : ('member' as const) })),
        group.lastSeq,
        tx,
      );
      const promote = current.filter((m) => staff.has(m.userId) && m.role !== 'staff').map((m) => m.userId);
      const demote = current.filter((m) => wantedSet.has(m.userId) && !staff.has(m.userId) && m.role === 'staff').map((m) => m.userId);
      await this.repository.updateRoles(group.id, promote, 'staff', tx);
      await this.repository.updateRoles(group.id, demote, 'member', tx);
      const left = await this.repository.removeMembers(
        group.id,
        current.filter((m) => !wantedSet.has(m.userId)).map((m) => m.userId),
        tx,
      );
      const notices: MessageRow[] = [];
      for (const [event, userIds] of [
        ['joined', joined],
        ['left', left],
      ] as const) {
        if (userIds.length > 0) notices.push(await this.systemMessage(group.id, event, userIds, tx));
      }
      return { conversationId: group.id, joined, left, notices };
    });
    if (!outcome) return undefined;
    const room = conversationRoom(outcome.conversationId);
    await this.realtime.join(outcome.joined, room);
    await this.realtime.leave(outcome.left, room);
    for (const message of outcome.notices) await this.realtime.emit([room], 'message:new', toMessageDto(message));
    return { conversationId: outcome.conversationId, joined: outcome.joined, left: outcome.left };
  }

  /**
   * A class moved up into the next school year (升级): its group, with its history, becomes the
   * new class's group (unless that class has one already), then follows the new class's roster.
   */
  async moveClassGroup(fromClassId: string, toClassId: string): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const [from, to, place] = [
        await this.repository.classGroup(fromClassId, tx),
        await this.repository.classGroup(toClassId, tx),
        await this.repository.classTitle(toClassId, tx),
      ];
      if (from && !to && place) await this.repository.moveGroup(from.id, toClassId, place.title, tx);
    });
    await this.syncClassGroup(toClassId);
  }

  /**
   * Brings a committee's group chat in line with its members as the committees context (above
   * messaging) gives them through GroupRosters: officers and the school's coordinators as staff,
   * the other members as members; those not given leave. Creates the group on first use. One
   * transaction; sockets join or leave the room after commit. Idempotent: a repeat finds nothing
   * to change and writes no joined/left message.
   */
  async syncCommitteeGroup(committeeId: string): Promise<{ conversationId: string; joined: string[]; left: string[] } | undefined> {
    const roster = await this.rosters.of('committee_group', committeeId);
    if (!roster) return undefined;
    const { ref: committee, people: wanted } = roster;
    const outcome = await this.repository.transaction(async (tx) => {
      await this.repository.insertConversation(
        { kind: 'committee_group', title: committee.title.slice(0, 100), schoolId: committee.schoolId, refId: committee.id },
        tx,
      );
      const group = await this.repository.groupByRef('committee_group', committee.id, tx);
      if (!group) throw new DomainError('CONVERSATION_NOT_FOUND');
      const roleOf = new Map(wanted.slice(0, MAX_GROUP_MEMBERS).map((m) => [m.userId, m.role]));
      const current = await this.repository.members(group.id, tx);
      const currentIds = new Set(current.map((m) => m.userId));
      const joined = await this.repository.addMembers(
        group.id,
        [...roleOf].filter(([id]) => !currentIds.has(id)).map(([userId, role]) => ({ userId, role })),
        group.lastSeq,
        tx,
      );
      const changed = current.filter((m) => roleOf.has(m.userId) && roleOf.get(m.userId) !== m.role);
      await this.repository.updateRoles(
        group.id,
        changed.filter((m) => roleOf.get(m.userId) === 'staff').map((m) => m.userId),
        'staff',
        tx,
      );
      await this.repository.updateRoles(
        group.id,
        changed.filter((m) => roleOf.get(m.userId) === 'member').map((m) => m.userId),
        'member',
        tx,
      );
      const left = await this.repository.removeMembers(
        group.id,
        current.filter((m) => !roleOf.has(m.userId)).map((m) => m.userId),
        tx,
      );
      const notices: MessageRow[] = [];
      for (const [event, userIds] of [
        ['joined', joined],
        ['left', left],
      ] as const) {
        if (userIds.length > 0) notices.push(await this.systemMessage(group.id, event, userIds, tx));
      }
      return { conversationId: group.id, joined, left, notices };
    });
    const room = conversationRoom(outcome.conversationId);
    await this.realtime.join(outcome.joined, room);
    await this.realtime.leave(outcome.left, room);
    for (const message of outcome.notices) await this.realtime.emit([room], 'message:new', toMessageDto(message));
    return { conversationId: outcome.conversationId, joined: outcome.joined, left: outcome.left };
  }

  /** A system message (joined, left, recalled) with the next seq, inside the caller's transaction. */
  async systemMessage(conversationId: string, event: SystemEvent['event'], userIds: string[], tx: DbExecutor): Promise<MessageRow> {
    const names = await this.repository.namesOf(userIds, tx);
    const seq = await this.messageRepository.nextSeq(conversationId, tx);
    const row = await this.messageRepository.insertMessage(
      {
        conversationId,
        seq,
        senderId: null,
        type: 'system',
        text: systemText(
          event,
          userIds.map((id) => names.get(id) ?? ''),
        ),
        payload: { system: { event, userIds, names: userIds.map((id) => names.get(id) ?? '') } },
      },
      tx,
    );
    return { ...row, senderName: null };
  }

  private async directTitles(principal: Principal, conversationIds: string[]): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    for (const id of conversationIds) {
      const members = await this.repository.members(id);
      const other = members.find((m) => m.userId !== principal.userId);
      if (other) titles.set(id, other.name);
    }
    return titles;
  }
}

function systemText(event: SystemEvent['event'], names: string[]): string {
  const who = names.length > 10 ? `${names.slice(0, 10).join('、')} 等 ${names.length} 人` : names.join('、');
  if (event === 'joined') return `${who} 加入了群聊`;
  if (event === 'left') return `${who} 离开了群聊`;
  return `${who} 撤回了一条消息`;
}

function toConversationDto(
  c: { id: string; kind: string; title: string; lastSeq: number; staffOnly: boolean; lastMessageAt: Date | null },
  lastReadSeq: number,
  last: MessageRow | undefined,
  directTitle: string | undefined,
): ConversationDto {
  return {
    id: c.id,
    kind: c.kind,
    title: directTitle ?? c.title,
    lastSeq: c.lastSeq,
    unread: Math.max(0, c.lastSeq - lastReadSeq),
    staffOnly: c.staffOnly,
    lastMessage: last ? toMessageDto(last) : null,
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
  };
}
