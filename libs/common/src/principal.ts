import type { AssignableRole, Role, ScopeType } from './roles';

/** A staff role assignment with its place in the directory resolved (a class's school and district). */
export interface ScopedAssignment {
  id: string;
  role: AssignableRole;
  scopeType: ScopeType;
  scopeId: string | null;
  title: string | null;
  classId: string | null;
  schoolId: string | null;
  districtId: string | null;
}

/** Who is calling: resolved once per request by the auth guard, from the database, not from the token. */
export interface Principal {
  userId: string;
  sessionId: string;
  name: string;
  roles: Role[];
  assignments: ScopedAssignment[];
  /** students the caller is a guardian of, with their class, grade, school and district */
  children: { studentId: string; classId: string; grade: number; schoolId: string; districtId: string }[];
  /** a one-time password must be changed before anything else (absent: false) */
  passwordChangeRequired?: boolean;
  /** a guardian (without a staff role) who has not accepted the current privacy notice (absent: false) */
  consentRequired?: boolean;
}

/** The area a caller's staff roles cover, for filtering lists. */
export interface AreaScope {
  city: boolean;
  districtIds: string[];
  schoolIds: string[];
  classIds: string[];
}

export function areaScopeOf(principal: Principal): AreaScope {
  const scope: AreaScope = { city: false, districtIds: [], schoolIds: [], classIds: [] };
  for (const a of principal.assignments) {
    if (a.role === 'expert') continue;
    if (a.scopeType === 'city') scope.city = true;
    else if (a.scopeType === 'district' && a.districtId) scope.districtIds.push(a.districtId);
    else if (a.scopeType === 'school' && a.schoolId) scope.schoolIds.push(a.schoolId);
    else if (a.scopeType === 'class' && a.classId) scope.classIds.push(a.classId);
  }
  return scope;
}

/** Schools where the caller works (teacher, coordinator): they see guardians' full phone numbers there. */
export function staffSchoolIds(principal: Principal): Set<string> {
  return new Set(
    principal.assignments.filter((a) => (a.role === 'teacher' || a.role === 'coordinator') && a.schoolId).map((a) => a.schoolId as string),
  );
}
