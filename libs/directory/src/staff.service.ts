import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, PasswordService, Principal } from '@jiaxiao/common';
import { AuditService, OutboxService } from '@jiaxiao/platform';
import { ClassGroupTrigger } from './class-group.trigger';
import { DirectoryRepository } from './directory.repository';
import { UserRepository } from './user.repository';
import { AppointDistrictAdminDto, AppointmentDto, AppointStaffDto, StaffDto } from './dto/directory.dto';
import { SchoolService } from './school.service';

/**
 * A school's staff and role assignments: appointing teachers, coordinators and district admins
 * (an account is created or activated with a one-time password), revoking them.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly userRepository: UserRepository,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
    private readonly classGroups: ClassGroupTrigger,
    private readonly schools: SchoolService,
    private readonly outbox: OutboxService,
  ) {}

  async staff(schoolId: string, schoolYear?: string): Promise<StaffDto[]> {
    const year = await this.schools.schoolYear(schoolYear);
    return this.userRepository.staffOfSchool(schoolId, year.id);
  }

  /** Appoints a school's 家庭教育总协调员 or a class's teacher (the caller manages the school). */
  async appointStaff(principal: Principal, schoolId: string, dto: AppointStaffDto, ip: string): Promise<AppointmentDto> {
    let scopeId = schoolId;
    if (dto.role === 'teacher') {
      if (!dto.classId) throw new DomainError('ROLE_SCOPE_MISMATCH', { role: 'teacher', scopeType: 'class' });
      const place = await this.directory.classPlace(dto.classId);
      if (!place || place.schoolId !== schoolId) throw new DomainError('CLASS_NOT_FOUND');
      scopeId = dto.classId;
    } else if (dto.classId) {
      throw new DomainError('ROLE_SCOPE_MISMATCH', { role: 'coordinator', scopeType: 'school' });
    }
    return this.appoint(principal, { ...dto, scopeType: dto.role === 'teacher' ? 'class' : 'school', scopeId }, ip);
  }

  async appointDistrictAdmin(principal: Principal, districtId: string, dto: AppointDistrictAdminDto, ip: string): Promise<AppointmentDto> {
    if (!principal.roles.includes('city_admin')) throw new DomainError('FORBIDDEN');
    return this.appoint(principal, { ...dto, role: 'district_admin', scopeType: 'district', scopeId: districtId }, ip);
  }

  async revokeAssignment(principal: Principal, assignmentId: string, ip: string): Promise<void> {
    const events: number[] = [];
    await this.directory.transaction(async (tx) => {
      const removed = await this.userRepository.deleteAssignment(assignmentId, tx);
      if (!removed) throw new DomainError('ROLE_ASSIGNMENT_NOT_FOUND');
      if (removed.scopeType === 'class' && removed.scopeId) events.push(await this.classGroups.classChanged(tx, removed.scopeId));
      const { id, role, scopeType, scopeId } = removed;
      events.push(
        await this.outbox.record(tx, 'staff.revoked', { assignmentId: id, role, scopeType, scopeId, at: new Date().toISOString() }),
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'role.revoked',
          targetType: 'user',
          targetId: removed.userId,
          ip,
          detail: { role: removed.role, scopeType: removed.scopeType, scopeId: removed.scopeId },
        },
        tx,
      );
    });
    await this.classGroups.publish(events);
  }

  private async appoint(
    principal: Principal,
    input: {
      phone: string;
      name: string;
      role: 'teacher' | 'coordinator' | 'district_admin';
      scopeType: 'class' | 'school' | 'district';
      scopeId: string;
      title?: string;
    },
    ip: string,
  ): Promise<AppointmentDto> {
    // Hash outside the transaction: it takes ~160 ms and must not hold row locks meanwhile.
    const initialPassword = generatePassword();
    const passwordHash = await this.passwords.hash(initialPassword);
    const events: number[] = [];
    const appointment = await this.directory.transaction(async (tx) => {
      let user = await this.userRepository.lockUserByPhone(input.phone, tx);
      let issued: string | null = null;
      if (!user) {
        user = await this.userRepository.insertUser(
          { phone: input.phone, name: input.name, passwordHash, status: 'active', passwordChangeRequired: true },
          tx,
        );
        issued = initialPassword;
      } else if (!user.passwordHash) {
        await this.userRepository.activateUser(user.id, passwordHash, tx);
        issued = initialPassword;
      }
      const assignment = await this.userRepository.insertAssignment(
        {
          userId: user.id,
          role: input.role,
          scopeType: input.scopeType,
          scopeId: input.scopeId,
          title: input.title,
          createdBy: principal.userId,
        },
        tx,
      );
      if (!assignment) throw new DomainError('ROLE_ASSIGNMENT_EXISTS');
      // A class's teacher joins its class group.
      if (input.scopeType === 'class') events.push(await this.classGroups.classChanged(tx, input.scopeId));
      events.push(
        await this.outbox.record(tx, 'staff.appointed', {
          assignmentId: assignment.id,
          role: assignment.role,
          scopeType: assignment.scopeType,
          scopeId: assignment.scopeId,
          at: assignment.createdAt.toISOString(),
        }),
      );
      await this.audit.record(
        {
          actorId: principal.userId,
          action: 'role.assigned',
          targetType: 'user',
          targetId: user.id,
          ip,
          detail: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId, accountCreated: issued !== null },
        },
        tx,
      );
      return {
        id: assignment.id,
        userId: user.id,
        name: user.name,
        phone: user.phone,
        role: assignment.role,
        scopeType: assignment.scopeType,
        scopeId: assignment.scopeId,
        title: assignment.title,
        initialPassword: issued,
      };
    });
    await this.classGroups.publish(events);
    return appointment;
  }
}

/** 10 characters without look-alikes (0/O, 1/l/I), easy to read out over the phone. */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
