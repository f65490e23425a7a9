import { Injectable, OnModuleInit } from '@nestjs/common';
import { PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from '@jiaxiao/files';
import { coordinatesClassGroup } from './class-notices/class-notice.service';
import { MessagingRepository } from './messaging.repository';
import { MessageRepository } from './message.repository';
import { MessageFileRepository } from './message-file.repository';

/**
 * Object rules of messaging, registered with the policy service:
 * - conversation: read = a member; manage = a staff member (teacher) of it
 * - message: read = a member of its conversation
 * - class_notice (the console's 回执 and 提醒未确认): a message of a class group, to a member of it or a
 *   coordinator of its school; ClassNoticeService then asks for its sender, the group's staff or that coordinator
 * - files (the files context's rule): a member of a conversation a file was sent to may read it
 */
@Injectable()
export class MessagingAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: MessagingRepository,
    private readonly messageRepository: MessageRepository,
    private readonly messageFiles: MessageFileRepository,
    private readonly fileAccess: FileAccessRegistry,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'conversation',
      notFound: 'CONVERSATION_NOT_FOUND',
      check: async (principal, action, id) => {
        const member = await this.repository.membership(id, principal.userId);
        // Not a member: the conversation is not shown to exist.
        if (!member) return 'not_found';
        return action === 'manage' && member.role !== 'staff' ? 'forbidden' : 'allowed';
      },
    });
    this.policy.register({
      resource: 'message',
      notFound: 'MESSAGE_NOT_FOUND',
      check: async (principal, _action, id) => {
        const message = await this.messageRepository.messageById(id);
        return message && (await this.repository.membership(message.conversationId, principal.userId)) ? 'allowed' : 'not_found';
      },
    });
    this.policy.register({
      resource: 'class_notice',
      notFound: 'MESSAGE_NOT_FOUND',
      check: async (principal, _action, id) => {
        const message = await this.messageRepository.messageById(id);
        const conversation = message && (await this.repository.conversation(message.conversationId));
        if (!message || conversation?.kind !== 'class_group') return 'not_found';
        if (coordinatesClassGroup(principal, conversation)) return 'allowed';
        return (await this.repository.membership(message.conversationId, principal.userId)) ? 'allowed' : 'not_found';
      },
    });
    this.fileAccess.register((principal, fileId) => this.messageFiles.canReadFile(fileId, principal.userId));
  }
}
