import { Injectable } from '@nestjs/common';
import { Principal } from '@jiaxiao/common';

/** Whether a higher context lets this caller read a file it references (a message attachment, a receipt, a photo). */
export type FileAccessCheck = (principal: Principal, fileId: string) => Promise<boolean>;

/**
 * Files are uploaded here but referenced from the contexts above (a message's attachment, a
 * lecture's material, a committee's fund receipt, a campaign's images). Those contexts register
 * a check at start-up, as they register access resolvers with the policy service, so files never
 * imports upward. The file rule and UploadService.download consult it after the uploader check.
 */
@Injectable()
export class FileAccessRegistry {
  private readonly checks: FileAccessCheck[] = [];

  register(check: FileAccessCheck): void {
    this.checks.push(check);
  }

  async allows(principal: Principal, fileId: string): Promise<boolean> {
    for (const check of this.checks) if (await check(principal, fileId)) return true;
    return false;
  }
}
