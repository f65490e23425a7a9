import { Injectable } from '@nestjs/common';
import { DomainError, Principal } from '@jiaxiao/common';
import { CommitteeService } from './committee.service';
import { CommitteesRepository } from './committees.repository';
import { CreateMinutesDto, CreateOversightDto, MinutesDto, OversightDto } from './dto/committee.dto';

/** A committee's records: minutes of its meetings (attendees from its members and the school's coordinators) and oversight visits with photos. */
@Injectable()
export class CommitteeMinutesService {
  constructor(
    private readonly committees: CommitteeService,
    private readonly repository: CommitteesRepository,
  ) {}

  async recordMinutes(principal: Principal, committeeId: string, dto: CreateMinutesDto): Promise<MinutesDto> {
    const committee = await this.committees.mustGet(committeeId);
    const members = new Set((await this.repository.members(committee.id)).map((m) => m.userId));
    const coordinators = new Set(await this.repository.coordinatorIds(committee.schoolId));
    const stranger = dto.attendeeIds.find((id) => !members.has(id) && !coordinators.has(id));
    if (stranger) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'attendeeIds', constraint: 'isCommitteeMember' }]);
    const row = await this.repository.insertMinutes({
      committeeId,
      title: dto.title,
      heldAt: new Date(dto.heldAt),
      attendeeIds: dto.attendeeIds,
      decisions: dto.decisions,
      body: dto.body,
      recordedBy: principal.userId,
    });
    return (await this.toMinutesDtos([row]))[0];
  }

  async minutes(committeeId: string): Promise<MinutesDto[]> {
    return this.toMinutesDtos(await this.repository.minutesOf(committeeId));
  }

  async recordOversight(principal: Principal, committeeId: string, dto: CreateOversightDto): Promise<OversightDto> {
    for (const fileId of dto.photoFileIds ?? []) {
      // Attaching a file shares it with the committee's readers: only the uploader may attach it.
      if ((await this.repository.fileById(fileId))?.ownerId !== principal.userId) throw new DomainError('FILE_NOT_FOUND');
    }
    const row = await this.repository.insertOversight({
      committeeId,
      area: dto.area,
      title: dto.title,
      inspectedAt: new Date(dto.inspectedAt),
      findings: dto.findings,
      photoFileIds: dto.photoFileIds ?? [],
      recordedBy: principal.userId,
    });
    return toOversightDto(row);
  }

  async oversight(committeeId: string): Promise<OversightDto[]> {
    return (await this.repository.oversightOf(committeeId)).map(toOversightDto);
  }

  private async toMinutesDtos(
    rows: { id: string; title: string; heldAt: Date; attendeeIds: string[]; decisions: string[]; body: string | null }[],
  ): Promise<MinutesDto[]> {
    const names = await this.repository.namesOf([...new Set(rows.flatMap((r) => r.attendeeIds))]);
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      heldAt: r.heldAt.toISOString(),
      attendees: r.attendeeIds.map((id) => names.get(id) ?? ''),
      decisions: r.decisions,
      body: r.body,
    }));
  }
}

function toOversightDto(r: {
  id: string;
  area: string;
  title: string;
  inspectedAt: Date;
  findings: string;
  photoFileIds: string[];
}): OversightDto {
  return {
    id: r.id,
    area: r.area,
    title: r.title,
    inspectedAt: r.inspectedAt.toISOString(),
    findings: r.findings,
    photoFileIds: r.photoFileIds,
  };
}
