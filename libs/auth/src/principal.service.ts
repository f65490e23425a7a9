import { Injectable } from '@nestjs/common';
import { AssignableRole, Principal, PRIVACY_NOTICE, Role, ScopedAssignment, ScopeType } from '@jiaxiao/common';
import { PrincipalPlacesRepository } from '@jiaxiao/directory';
import { SessionRepository } from './session.repository';

/** Builds the caller's Principal from the database: roles come from there, never from the token. */
@Injectable()
export class PrincipalService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly places: PrincipalPlacesRepository,
  ) {}

  /** Two statements in parallel, each one round trip: the session with its account, and the account's places. */
  async resolve(userId: string, sessionId: string): Promise<Principal | undefined> {
    const [session, { assignments, children }] = await Promise.all([
      this.sessions.activeSession(sessionId, userId, PRIVACY_NOTICE.version),
      this.places.of(userId),
    ]);
    if (!session) return undefined;
    const principal = this.build(userId, sessionId, session.name, assignments, children);
    principal.passwordChangeRequired = session.passwordChangeRequired;
    // Guardians only: staff reach pupils' data through their role, which their employment covers.
    principal.consentRequired = children.length > 0 && assignments.length === 0 && !session.consented;
    return principal;
  }

  /** For login, before a session exists. */
  async forUser(userId: string, name: string): Promise<Principal> {
    const { assignments, children } = await this.places.of(userId);
    return this.build(userId, '', name, assignments, children);
  }

  private build(
    userId: string,
    sessionId: string,
    name: string,
    assignments: ScopedAssignment[],
    children: Principal['children'],
  ): Principal {
    const roles = new Set<Role>(assignments.map((a) => a.role as AssignableRole));
    if (children.length > 0) roles.add('parent');
    return {
      userId,
      sessionId,
      name,
      roles: ROLE_ORDER.filter((r) => roles.has(r)),
      assignments: assignments.map((a) => ({ ...a, scopeType: a.scopeType as ScopeType })),
      children,
    };
  }
}

const ROLE_ORDER: Role[] = ['city_admin', 'district_admin', 'coordinator', 'teacher', 'expert', 'parent'];
