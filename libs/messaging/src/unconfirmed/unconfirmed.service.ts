import { Injectable } from '@nestjs/common';
import { areaScopeOf, isoShanghai, Principal } from '@jiaxiao/common';
import { coordinatesClassGroup } from '../class-notices/class-notice.service';
import { UnconfirmedNoticeDto, UnconfirmedNoticeListDto } from './unconfirmed.dto';
import { UnconfirmedNoticeRepository, UnconfirmedRow } from './unconfirmed.repository';

/** Notices older than this drop off the dashboard. */
const RECENT_DAYS = 30;
const LIMIT = 20;

/**
 * The dashboard's 未确认通知: recent notices asking for 回执 in the caller's scope — a class
 * teacher's classes (their class-group notices, and school notices as far as they reached those
 * classes), a coordinator's school (its school notices and the notices of every class group).
 * Notices everyone confirmed are kept, so the counts show the whole picture; newest first.
 */
@Injectable()
export class UnconfirmedNoticeService {
  constructor(private readonly repository: UnconfirmedNoticeRepository) {}

  async list(principal: Principal): Promise<UnconfirmedNoticeListDto> {
    const area = areaScopeOf(principal);
    const scope = { classIds: area.classIds, schoolIds: area.schoolIds };
    if (scope.classIds.length === 0 && scope.schoolIds.length === 0) return { items: [] };
    const since = new Date(Date.now() - RECENT_DAYS * 86_400_000);
    const [classNotices, schoolNotices] = await Promise.all([
      this.repository.classNotices(scope, since, LIMIT),
      this.repository.schoolNotices(scope, since, LIMIT),
    ]);
    const items = [
      ...classNotices.map((row) =>
        toDto(
          'class',
          row,
          scope.classIds.includes(row.classId ?? '') || coordinatesClassGroup(principal, { kind: 'class_group', schoolId: row.schoolId }),
        ),
      ),
      ...schoolNotices.map((row) => toDto('school', row, scope.schoolIds.includes(row.schoolId ?? ''))),
    ];
    items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: items.slice(0, LIMIT) };
  }
}

function toDto(kind: 'class' | 'school', row: UnconfirmedRow, canRemind: boolean): UnconfirmedNoticeDto {
  return {
    kind,
    id: row.id,
    title: row.title,
    createdAt: isoShanghai(new Date(row.createdAt)),
    classId: row.classId,
    className: row.className,
    total: Number(row.total),
    confirmed: Number(row.confirmed),
    canRemind,
  };
}
