import { ref } from 'vue';
import { api, unwrap, type Schemas } from './api';
import type { Me } from './me';

export type JoinRequest = Schemas['JoinRequestDto'] & { className: string };

/** Pending join requests of the classes the caller reviews; the menu shows their count. */
export const pendingJoins = ref(0);

/** A class teacher reviews their classes, a coordinator every class of the school. */
export async function reviewedClasses(me: Me): Promise<{ id: string; name: string }[]> {
  const classes = new Map<string, string>();
  for (const s of me.scopes) {
    if (s.role === 'teacher' && s.classId) classes.set(s.classId, s.scopeName ?? '');
    if (s.role === 'coordinator' && s.schoolId) {
      for (const c of await unwrap(api.client.GET('/schools/{id}/classes', { params: { path: { id: s.schoolId }, query: {} } }))) classes.set(c.id, c.name);
    }
  }
  return [...classes].map(([id, name]) => ({ id, name }));
}

/** The pending requests of those classes, oldest first. */
export async function loadPendingJoins(me: Me): Promise<JoinRequest[]> {
  const classes = await reviewedClasses(me);
  const lists = await Promise.all(
    classes.map(async (c) =>
      (await unwrap(api.client.GET('/classes/{id}/join-requests', { params: { path: { id: c.id }, query: { status: 'pending' } } }))).items.map((r) => ({ ...r, className: c.name })),
    ),
  );
  const pending = lists.flat().sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  pendingJoins.value = pending.length;
  return pending;
}
