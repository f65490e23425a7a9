import { Injectable } from '@nestjs/common';
import { DomainError } from '@jiaxiao/common';
import { Audience } from '@jiaxiao/db';
import { CalendarQueryDto, PublicCalendarDto } from './dto/public-calendar.dto';
import { PublicCalendarRepository } from './public-calendar.repository';

const DAY = 24 * 3600_000;

/**
 * The public lecture calendar (公共服务平台, no login): announced lectures of every organiser, with
 * what a poster shows — no stream link, no registrations, no class. Registering still needs an
 * account whose child is in the audience.
 */
@Injectable()
export class PublicCalendarService {
  constructor(private readonly repository: PublicCalendarRepository) {}

  async calendar(query: CalendarQueryDto, now = new Date()): Promise<PublicCalendarDto> {
    const from = query.from ? new Date(query.from) : new Date(now.getTime() - DAY);
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + 90 * DAY);
    if (to.getTime() <= from.getTime()) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'to', constraint: 'isAfterStart' }]);
    if (to.getTime() - from.getTime() > 366 * DAY)
      throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'to', constraint: 'maxRangeDays', args: [366] }]);
    const rows = await this.repository.calendar(from, to);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      items: rows.map((r) => ({
        id: r.id,
        title: r.title,
        series: r.series,
        mode: r.mode,
        status: r.status,
        startsAt: r.startsAt.toISOString(),
        endsAt: r.endsAt.toISOString(),
        creditHours: r.creditHours,
        speaker: r.speaker,
        venue: r.venue,
        organiser: r.schoolName ?? (r.districtName ? `${r.districtName}教育局` : '潍坊市教育局'),
        openTo: openTo(r.audience, r.schoolName, r.districtName),
      })),
      nextCursor: null,
    };
  }
}

function openTo(audience: Audience, schoolName: string | null, districtName: string | null): string {
  switch (audience.scope) {
    case 'city':
      return '全市家长';
    case 'district':
      return `${districtName ?? ''}家长`;
    case 'school':
      return `${schoolName ?? ''}家长`;
    case 'grades':
      return `${schoolName ?? ''}部分年级家长`;
    case 'classes':
      return `${schoolName ?? ''}部分班级家长`;
    case 'committee_chairs':
      return '家委会主任';
    case 'teachers':
      return '教师';
  }
}
