import { Injectable, OnModuleInit } from '@nestjs/common';
import { PolicyService } from '@jiaxiao/auth';
import { FileAccessRegistry } from './file-access.registry';
import { FilesRepository } from './files.repository';

/**
 * The file rule, registered with the policy service: read = its uploader, or whoever a check
 * registered with the FileAccessRegistry admits (members of a conversation it was sent to,
 * readers of a lecture's materials, committee receipts and photos, campaign images).
 */
@Injectable()
export class FilesAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: FilesRepository,
    private readonly fileAccess: FileAccessRegistry,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'file',
      notFound: 'FILE_NOT_FOUND',
      check: async (principal, _action, id) => {
        const file = await this.repository.fileById(id);
        if (!file) return 'not_found';
        const readable = file.ownerId === principal.userId || (await this.fileAccess.allows(principal, id));
        return readable ? 'allowed' : 'forbidden';
      },
    });
  }
}
