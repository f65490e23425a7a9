import { Injectable, OnModuleInit } from '@nestjs/common';
import { areaScopeOf, Principal } from '@jiaxiao/common';
import { PolicyService } from '@jiaxiao/auth';
import { MailboxItemRow, MailboxRepository } from './mailbox.repository';

/** The staff level a caller holds over an item: the school's coordinator, its district's staff, or city staff. */
export function staffLevelOver(
  principal: Principal,
  item: Pick<MailboxItemRow, 'schoolId' | 'districtId'>,
): 'school' | 'district' | 'city' | undefined {
  const area = areaScopeOf(principal);
  if (area.city) return 'city';
  if (area.districtIds.includes(item.districtId)) return 'district';
  if (area.schoolIds.includes(item.schoolId)) return 'school';
  return undefined;
}

/**
 * Object rules of the 校长信箱:
 * - mailbox_item: read = its writer, and staff over its school (school, district, city);
 *   manage = staff over its school. Everyone else is told it does not exist.
 */
@Injectable()
export class MailboxAccess implements OnModuleInit {
  constructor(
    private readonly policy: PolicyService,
    private readonly repository: MailboxRepository,
  ) {}

  onModuleInit() {
    this.policy.register({
      resource: 'mailbox_item',
      notFound: 'MAILBOX_ITEM_NOT_FOUND',
      check: async (principal, action, id) => {
        const item = await this.repository.item(id);
        if (!item) return 'not_found';
        if (staffLevelOver(principal, item)) return 'allowed';
        return action === 'read' && item.authorId === principal.userId ? 'allowed' : 'not_found';
      },
    });
  }
}
