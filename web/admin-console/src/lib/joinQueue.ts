import { ref } from 'vue';
import { api, unwrap, type Schemas } from './api';
import type { Me } from './me';

export type JoinRequest = Schemas['SchoolJoinRequestDto'];

/** Pending join requests of the classes the caller reviews; the menu shows their count. */
export const pendingJoins = ref(0);

/**
 * The pending requests of the caller's schools, oldest first: one request per school
 * (`GET /schools/:id/join-requests`), where a coordinator gets every class, a class teacher theirs.
 */
export async function loadPendingJoins(me: Me): Promise<JoinRequest[]> {
  const schools = new Set(
    me.scopes.filter((s) => (s.role === 'teacher' || s.role === 'coordinator') && s.schoolId).map((s) => s.schoolId as string),
  );
  const pages = await Promise.all(
    [...schools].map((id) =>
      unwrap(api.client.GET('/schools/{id}/join-requests', { params: { path: { id }, query: { status: 'pending', pageSize: 200 } } })),
    ),
  );
  const pending = pages.flatMap((p) => p.items).sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  pendingJoins.value = pages.reduce((n, p) => n + p.total, 0);
  return pending;
}
