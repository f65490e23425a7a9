import { Injectable } from '@nestjs/common';
import { AppConfig, DomainError, Principal, shanghaiParts } from '@jiaxiao/common';
import { AuditService } from '@jiaxiao/platform';
import { DeliveryRepository } from './delivery.repository';
import { SmsBudgetDto } from './dto/sms-budget.dto';

/**
 * Each school's monthly SMS budget: SMS_MONTHLY_BUDGET unless the bureau set the school its
 * own. A message is reserved before it is sent (atomically, so parallel workers cannot
 * overspend) and given back if it did not go out.
 */
@Injectable()
export class SmsBudgetService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: DeliveryRepository,
    private readonly audit: AuditService,
  ) {}

  async reserve(schoolId: string, now = new Date()): Promise<boolean> {
    return this.repository.reserve(schoolId, monthOf(now), await this.limitOf(schoolId));
  }

  release(schoolId: string, now = new Date()): Promise<void> {
    return this.repository.release(schoolId, monthOf(now));
  }

  /** The route checked the caller's scope over the school. */
  async view(schoolId: string, now = new Date()): Promise<SmsBudgetDto> {
    const school = await this.repository.school(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    const month = monthOf(now);
    const override = await this.repository.budgetOverride(schoolId);
    const limit = override ?? this.config.SMS_MONTHLY_BUDGET;
    const used = await this.repository.used(schoolId, month);
    return { schoolId, month, limit, used, remaining: Math.max(0, limit - used), source: override === undefined ? 'default' : 'school' };
  }

  /** Only the bureau (district or city) sets a school's budget; the route checked the scope. */
  async set(principal: Principal, schoolId: string, monthlyLimit: number | null): Promise<SmsBudgetDto> {
    if (!principal.roles.some((r) => r === 'district_admin' || r === 'city_admin')) throw new DomainError('FORBIDDEN');
    await this.repository.transaction(async (tx) => {
      await this.repository.setBudgetOverride(schoolId, monthlyLimit, tx);
      await this.audit.record(
        { actorId: principal.userId, action: 'sms_budget.set', targetType: 'school', targetId: schoolId, detail: { monthlyLimit } },
        tx,
      );
    });
    return this.view(schoolId);
  }

  private async limitOf(schoolId: string): Promise<number> {
    return (await this.repository.budgetOverride(schoolId)) ?? this.config.SMS_MONTHLY_BUDGET;
  }
}

/** YYYY-MM in Asia/Shanghai */
export function monthOf(instant: Date): string {
  const p = shanghaiParts(instant);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}
