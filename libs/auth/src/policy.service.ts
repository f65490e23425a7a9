import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Principal } from '@jiaxiao/common';
import { ClassPlace, DirectoryRepository } from '@jiaxiao/directory';

/** read: parents of the object's children and staff over it; staff: staff only (rosters); manage: coordinators and bureau staff */
export type Action = 'read' | 'staff' | 'manage';
export type ResourceType = 'student' | 'class' | 'school' | 'district' | 'import' | 'role_assignment';

interface Place {
  districtId: string;
  schoolId?: string;
  classId?: string;
  studentId?: string;
}

const NOT_FOUND: Record<ResourceType, ErrorCode> = {
  student: 'STUDENT_NOT_FOUND',
  class: 'CLASS_NOT_FOUND',
  school: 'SCHOOL_NOT_FOUND',
  district: 'DISTRICT_NOT_FOUND',
  import: 'IMPORT_NOT_FOUND',
  role_assignment: 'ROLE_ASSIGNMENT_NOT_FOUND',
};

/** The place of city-wide objects: only city_admin covers it. */
const CITY_ONLY = 'city';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The one answer to "may this caller do this to this object" (object-level authorization).
 *
 * - parent: reads their own children and their children's classes (not other families' rosters)
 * - teacher: reads the classes they teach, their rosters and the school they work in
 * - coordinator: reads and manages their school, its classes and students
 * - district_admin / city_admin: read and manage everything in their area
 * - expert: nothing in the directory
 */
@Injectable()
export class PolicyService {
  constructor(private readonly directory: DirectoryRepository) {}

  async assert(principal: Principal, action: Action, type: ResourceType, id: string): Promise<void> {
    const place = UUID.test(id) ? await this.placeOf(type, id) : undefined;
    if (!place) throw new DomainError(NOT_FOUND[type]);
    if (!this.allows(principal, action, place)) throw new DomainError('FORBIDDEN');
  }

  /** Loads a class (with its school) the caller may act on. */
  async classFor(principal: Principal, action: Action, classId: string): Promise<ClassPlace> {
    const place = UUID.test(classId) ? await this.directory.classPlace(classId) : undefined;
    if (!place) throw new DomainError('CLASS_NOT_FOUND');
    if (!this.allows(principal, action, place)) throw new DomainError('FORBIDDEN');
    return place;
  }

  allows(principal: Principal, action: Action, place: Place): boolean {
    if (action === 'read') {
      const children = principal.children;
      if (place.studentId ? children.some((c) => c.studentId === place.studentId) : children.some((c) => c.classId === place.classId)) {
        return true;
      }
    }
    return principal.assignments.some((a) => {
      switch (a.role) {
        case 'city_admin':
          return true;
        case 'district_admin':
          return a.districtId === place.districtId;
        case 'coordinator':
          return place.schoolId !== undefined && a.schoolId === place.schoolId;
        case 'teacher':
          // Teachers read their classes (and the school they work in); they manage nothing in the directory.
          if (action === 'manage') return false;
          return place.classId !== undefined ? a.classId === place.classId : place.schoolId !== undefined && a.schoolId === place.schoolId;
        default:
          return false;
      }
    });
  }

  private async placeOf(type: ResourceType, id: string): Promise<Place | undefined> {
    switch (type) {
      case 'student': {
        const s = await this.directory.studentPlace(id);
        return s && { districtId: s.districtId, schoolId: s.schoolId, classId: s.classId, studentId: s.studentId };
      }
      case 'class': {
        const c = await this.directory.classPlace(id);
        return c && { districtId: c.districtId, schoolId: c.schoolId, classId: c.classId };
      }
      case 'school': {
        const s = await this.directory.schoolById(id);
        return s && { districtId: s.districtId, schoolId: s.id };
      }
      case 'district': {
        const d = await this.directory.districtById(id);
        return d && { districtId: d.id };
      }
      case 'import': {
        const classId = await this.directory.importClassId(id);
        return classId ? this.placeOf('class', classId) : undefined;
      }
      case 'role_assignment': {
        const a = await this.directory.assignmentById(id);
        if (!a) return undefined;
        // A city-wide role is managed by city staff only: no district matches this place.
        if (a.scopeType === 'city' || !a.scopeId) return { districtId: CITY_ONLY };
        return this.placeOf(a.scopeType, a.scopeId);
      }
    }
  }
}
