import { Injectable, OnModuleInit } from '@nestjs/common';
import { PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from './file-access.registry';
import { MessagingRepository } from './messaging.repository';
import { MessageRepository } from './message.repository';
import { FileRepository } from './file.repository';

/**
 * Object rules of messaging, registered with the policy service:
 * - conversation: read = a member; manage = a staff member (teacher) of it
 * - message: read = a member of its conversation
 * - file: read = its uploader, a member of a conversation it was sent to, or whoever a higher
 *   context's FileAccessRegistry check admits (committee receipts and photos)
 */
@Injectable()
export class MessagingAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: MessagingRepository,
    private readonly messageRepository: MessageRepository,
    private readonly fileRepository: FileRepository,
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
      resource: 'file',
      notFound: 'FILE_NOT_FOUND',
      check: async (principal, _action, id) => {
        const file = await this.fileRepository.fileById(id);
        if (!file) return 'not_found';
        const readable = file.ownerId === principal.userId || (await this.fileRepository.canReadFile(id, principal.userId)) || (await this.fileAccess.allows(principal, id));
        return readable ? 'allowed' : 'forbidden';
      },
    });
  }
}
