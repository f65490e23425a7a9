import { Injectable } from '@nestjs/common';
import { AssignableRole, Principal, PRIVACY_NOTICE, Role, ScopedAssignment, ScopeType } from '@jiaxiao/common';
import { PrincipalPlacesRepository } from '@jiaxiao/directory';
import { ReadCache, ReadCaches } from '@jiaxiao/platform';
import { SessionRepository } from './session.repository';

/** Sessions whose caller a process keeps at most (about 2 KB each). */
const CACHED_SESSIONS = 50_000;

/**
 * Builds the caller's Principal from the database: roles come from there, never from the token.
 * Every authenticated request needs it, so a process keeps it per session until the database
 * notifies a change to the session, the account (status, password, consent, roles, children,
 * committee seats), one of the children or any class, school or district (ReadCache).
 */
@Injectable()
export class PrincipalService {
  private readonly cache: ReadCache<string, Principal>;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly places: PrincipalPlacesRepository,
    caches: ReadCaches,
  ) {
    this.cache = caches.create('principal', { max: CACHED_SESSIONS, flushOn: ['places'] });
  }

  /** The caller of an open session; undefined once the session or the account has ended. */
  async resolve(userId: string, sessionId: string): Promise<Principal | undefined> {
    return this.cache.read(`${sessionId}:${userId}`, async () => {
      const principal = await this.read(userId, sessionId);
      if (!principal) return undefined;
      const tags = [`session:${sessionId}`, `user:${userId}`, ...principal.children.map((c) => `student:${c.studentId}`)];
      return { value: principal, tags };
    });
  }

  /** One statement, one round trip: the session with its account and the account's places. */
  private async read(userId: string, sessionId: string): Promise<Principal | undefined> {
    const session = await this.sessions.activeSession(sessionId, userId, PRIVACY_NOTICE.version);
    if (!session) return undefined;
    const { assignments, children } = session;
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
