import type { Schemas } from './api';

type Notice = Schemas['SchoolNoticeDto'];

/** A notice still waiting for the family: unread, or asking for a 回执 not yet given. */
export const pending = (n: Notice) => !n.readAt || (n.needsAck && !n.ackedAt);

/** The notice's state in words, for its list row and its detail. */
export function noticeState(n: Notice): string {
  if (n.needsAck) return n.ackedAt ? '已确认' : '待确认';
  return n.readAt ? '已读' : '未读';
}
