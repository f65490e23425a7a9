import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Principal } from '@jiaxiao/common';
import { ClassPlace, DirectoryRepository, JoinRepository, UserRepository } from '@jiaxiao/directory';

/** read: parents of the object's children and staff over it; staff: staff only (rosters); manage: coordinators and bureau staff */
export type Action = 'read' | 'staff' | 'manage';
export type DirectoryResource = 'student' | 'class' | 'school' | 'district' | 'import' | 'role_assignment' | 'join_request';

/**
 * Decides access to objects of a higher context (conversations, lectures, …): that context
 * registers one at start-up, so the policy stays one service without importing upward.
 */
export interface AccessResolver {
  resource: string;
  notFound: ErrorCode;
  /** `{ allowed: object }` hands the object the rule loaded to the route (see @AuthorizedObject), so it is not read twice. */
  check(principal: Principal, action: Action, id: string): Promise<'allowed' | 'forbidden' | 'not_found' | { allowed: unknown }>;
}

interface Place {
  districtId: string;
  schoolId?: string;
  classId?: string;
  studentId?: string;
}

const NOT_FOUND: Record<DirectoryResource, ErrorCode> = {
  student: 'STUDENT_NOT_FOUND',
  class: 'CLASS_NOT_FOUND',
  school: 'SCHOOL_NOT_FOUND',
  district: 'DISTRICT_NOT_FOUND',
  import: 'IMPORT_NOT_FOUND',
  role_assignment: 'ROLE_ASSIGNMENT_NOT_FOUND',
  join_request: 'JOIN_REQUEST_NOT_FOUND',
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
  private readonly resolvers = new Map<string, AccessResolver>();

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly userRepository: UserRepository,
    private readonly joins: JoinRepository,
  ) {}

  register(resolver: AccessResolver): void {
    if (this.resolvers.has(resolver.resource) || resolver.resource in NOT_FOUND) {
      throw new Error(`access resolver for ${resolver.resource} registered twice`);
    }
    this.resolvers.set(resolver.resource, resolver);
  }

  /** Whether a resource type has a rule: the route test checks every @Authorize against this. */
  knows(resource: string): boolean {
    return resource in NOT_FOUND || this.resolvers.has(resource);
  }

  /** Throws unless allowed; returns the object the rule loaded, when it hands one over. */
  async assert(principal: Principal, action: Action, type: string, id: string): Promise<unknown> {
    const resolver = this.resolvers.get(type);
    if (resolver) {
      const outcome = UUID.test(id) ? await resolver.check(principal, action, id) : 'not_found';
      if (outcome === 'not_found') throw new DomainError(resolver.notFound);
      if (outcome === 'forbidden') throw new DomainError('FORBIDDEN');
      return typeof outcome === 'object' ? outcome.allowed : undefined;
    }
    if (!(type in NOT_FOUND)) throw new Error(`no access rule for resource ${type}`);
    const directoryType = type as DirectoryResource;
    const place = UUID.test(id) ? await this.placeOf(directoryType, id) : undefined;
    if (!place) throw new DomainError(NOT_FOUND[directoryType]);
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

  private async placeOf(type: DirectoryResource, id: string): Promise<Place | undefined> {
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
        const target = await this.directory.importTarget(id);
        if (target?.classId) return this.placeOf('class', target.classId);
        return target?.schoolId ? this.placeOf('school', target.schoolId) : undefined;
      }
      case 'join_request': {
        const classId = await this.joins.classOfRequest(id);
        return classId ? this.placeOf('class', classId) : undefined;
      }
      case 'role_assignment': {
        const a = await this.userRepository.assignmentById(id);
        if (!a) return undefined;
        // A city-wide role is managed by city staff only: no district matches this place.
        if (a.scopeType === 'city' || !a.scopeId) return { districtId: CITY_ONLY };
        return this.placeOf(a.scopeType, a.scopeId);
      }
    }
  }
}
