import { Attachment, NoticeBody, SystemEvent } from '@jiaxiao/db';
import { MessageDto } from './dto/message.dto';
import { MessageRow } from './messaging.repository';

/** A stored message as clients see it; a recalled one is a tombstone (no text, no attachment). */
export function toMessageDto(row: MessageRow): MessageDto {
  const dto: MessageDto = {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    senderName: row.senderName,
    clientMsgId: row.clientMsgId,
    type: row.type,
    text: row.recalledAt ? null : row.text,
    recalled: row.recalledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
  if (row.recalledAt) return dto;
  const payload = row.payload as { attachment?: Attachment; notice?: NoticeBody; system?: SystemEvent };
  if (payload.attachment) dto.attachment = { ...payload.attachment, url: `/files/${payload.attachment.fileId}` };
  if (payload.notice) dto.notice = { title: payload.notice.title, needsAck: payload.notice.needsAck, emergency: payload.notice.emergency };
  if (payload.system) dto.system = payload.system;
  return dto;
}
