import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import QRCode from 'qrcode';
import { AppConfig, areaScopeOf, DomainError, pageWindow, Principal } from '@jiaxiao/common';
import { Relation } from '@jiaxiao/db';
import { AuditService, REDIS } from '@jiaxiao/platform';
import { ClassGroupTrigger } from '../class-group.trigger';
import { DirectoryRepository } from '../directory.repository';
import { UserRepository } from '../user.repository';
import { JoinRepository } from './join.repository';
import {
  JoinClassDto,
  JoinLinkDto,
  JoinRequestCreatedDto,
  JoinRequestListDto,
  SchoolJoinRequestPageDto,
  SchoolJoinRequestQueryDto,
} from './join.dto';

/**
 * Joining a class without a roster import: the teacher shows the class's join link (a QR code);
 * a signed-in parent names their child; the class teacher approves, which makes the guardianship
 * and (through the class-group sync) the group membership. Guardians may invite another guardian
 * (a grandparent) the same way. Only pupils already on the class list can be named.
 */
@Injectable()
export class JoinService {
  constructor(
    private readonly joins: JoinRepository,
    private readonly directory: DirectoryRepository,
    private readonly userRepository: UserRepository,
    private readonly classGroups: ClassGroupTrigger,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The class's link and QR code (the caller's access to the class was checked by the route). */
  async link(principal: Principal, classId: string): Promise<JoinLinkDto> {
    const token = await this.joins.linkOf(classId, randomBytes(24).toString('base64url'), principal.userId);
    const url = `${this.config.PUBLIC_BASE_URL}/h5/join/${token}`;
    return { url, qr: await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 480 }), token };
  }

  async classOfLink(token: string): Promise<JoinClassDto> {
    const place = await this.placeOfToken(token);
    return { classId: place.classId, schoolName: place.schoolName, className: place.className };
  }

  async request(
    principal: Principal,
    input: { token: string; studentName: string; relation: Relation },
    ip: string,
  ): Promise<JoinRequestCreatedDto> {
    const place = await this.placeOfToken(input.token);
    const studentId = await this.pupil(place.classId, input.studentName);
    return this.create(
      principal.userId,
      { classId: place.classId, className: place.className, studentId, studentName: input.studentName, relation: input.relation },
      principal.userId,
      ip,
    );
  }

  /** A guardian invites another guardian of their child; the invitee signs in by SMS code once approved. */
  async invite(
    principal: Principal,
    studentId: string,
    input: { phone: string; name: string; relation: Relation },
    ip: string,
  ): Promise<JoinRequestCreatedDto> {
    const child = principal.children.find((c) => c.studentId === studentId);
    if (!child) throw new DomainError('FORBIDDEN');
    const student = await this.directory.studentPlace(studentId);
    if (!student) throw new DomainError('STUDENT_NOT_FOUND');
    const invitee = await this.directory.transaction(async (tx) => {
      const existing = await this.userRepository.lockUserByPhone(input.phone, tx);
      return (
        existing ??
        (await this.userRepository.insertUser({ phone: input.phone, name: input.name, passwordHash: null, status: 'invited' }, tx))
      );
    });
    return this.create(
      invitee.id,
      { classId: student.classId, className: student.className, studentId, studentName: student.studentName, relation: input.relation },
      principal.userId,
      ip,
      principal.userId,
    );
  }

  async list(classId: string, status: 'pending' | 'approved' | 'rejected' = 'pending'): Promise<JoinRequestListDto> {
    return { items: await this.joins.list(classId, status) };
  }

  /**
   * The requests of a whole school in one page: its coordinator, district and city staff see every
   * class; a teacher of the school only the classes they teach (the route let in the school's staff).
   */
  async listOfSchool(principal: Principal, schoolId: string, query: SchoolJoinRequestQueryDto): Promise<SchoolJoinRequestPageDto> {
    const school = await this.directory.schoolById(schoolId);
    if (!school) throw new DomainError('SCHOOL_NOT_FOUND');
    const area = areaScopeOf(principal);
    const seesAll = area.city || area.districtIds.includes(school.districtId) || area.schoolIds.includes(schoolId);
    return this.joins.listOfSchool(
      { schoolId, classIds: seesAll ? undefined : area.classIds, status: query.status ?? 'pending' },
      pageWindow(query),
    );
  }

  async decide(principal: Principal, id: string, decision: 'approved' | 'rejected', ip: string): Promise<void> {
    const events = await this.joins.transaction(async (tx) => {
      const request = await this.joins.lock(id, tx);
      if (!request) throw new DomainError('JOIN_REQUEST_NOT_FOUND');
      if (request.status !== 'pending') throw new DomainError('JOIN_REQUEST_DECIDED', { status: request.status });
      await this.joins.decide(id, decision, principal.userId, tx);
      if (decision === 'approved')
        await this.joins.addGuardian({ studentId: request.studentId, userId: request.userId, relation: request.relation }, tx);
      await this.audit.record(
        {
          actorId: principal.userId,
          action: `join_request.${decision}`,
          targetType: 'join_request',
          targetId: id,
          ip,
          detail: { studentId: request.studentId, userId: request.userId, relation: request.relation },
        },
        tx,
      );
      return decision === 'approved' ? [await this.classGroups.classChanged(tx, request.classId)] : [];
    });
    await this.classGroups.publish(events);
  }

  private async create(
    userId: string,
    input: { classId: string; className: string; studentId: string; studentName: string; relation: Relation },
    actorId: string,
    ip: string,
    invitedBy?: string,
  ): Promise<JoinRequestCreatedDto> {
    if (await this.joins.isGuardian(input.studentId, userId)) throw new DomainError('ALREADY_GUARDIAN');
    if ((await this.joins.pendingOf(userId)) >= this.config.JOIN_MAX_PENDING_PER_USER) throw new DomainError('JOIN_REQUEST_LIMIT');
    await this.reserveClassSlot(input.classId);
    const row = await this.joins.transaction(async (tx) => {
      const created = await this.joins.insert(
        { classId: input.classId, studentId: input.studentId, userId, relation: input.relation, invitedBy },
        tx,
      );
      if (!created) throw new DomainError('JOIN_REQUEST_EXISTS');
      await this.audit.record(
        {
          actorId,
          action: invitedBy ? 'join_request.invited' : 'join_request.created',
          targetType: 'join_request',
          targetId: created.id,
          ip,
          detail: { classId: input.classId, studentId: input.studentId, userId },
        },
        tx,
      );
      return created;
    });
    return { id: row.id, status: row.status, studentName: input.studentName, className: input.className };
  }

  /** Counted first and refused past the cap, so a burst cannot flood a teacher's queue. */
  private async reserveClassSlot(classId: string): Promise<void> {
    const key = `join:class:${classId}`;
    const [[, n]] = (await this.redis.multi().incr(key).expire(key, 3600, 'NX').exec()) as [[null, number], [null, number]];
    if (n > this.config.JOIN_MAX_PER_CLASS_HOURLY)
      throw new DomainError('JOIN_CLASS_BUSY', {}, [], { 'Retry-After': String(Math.max(1, await this.redis.ttl(key))) });
  }

  private async placeOfToken(token: string) {
    const classId = await this.joins.classOfToken(token);
    const place = classId ? await this.directory.classPlace(classId) : undefined;
    if (!place) throw new DomainError('JOIN_LINK_INVALID');
    return place;
  }

  private async pupil(classId: string, name: string): Promise<string> {
    const matches = await this.joins.studentsNamed(classId, name.trim());
    if (matches.length === 0) throw new DomainError('JOIN_STUDENT_NOT_FOUND', { name });
    if (matches.length > 1) throw new DomainError('JOIN_STUDENT_AMBIGUOUS', { name });
    return matches[0].id;
  }
}
