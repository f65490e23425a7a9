import { computed, ref } from 'vue';
import { api, unwrap, type Schemas } from './api';

export type Me = Schemas['MeDto'];
export type Scope = Schemas['ScopeDto'];
export type Role = Scope['role'];

const me = ref<Me | null>(null);
let loading: Promise<Me> | null = null;

/** The signed-in staff member with their roles and scopes (GET /me), loaded once per session. */
export function loadMe(): Promise<Me> {
  loading ??= unwrap(api.client.GET('/me')).then((value) => (me.value = value));
  return loading;
}

export function forgetMe(): void {
  me.value = null;
  loading = null;
}

const RANK: Role[] = ['city_admin', 'district_admin', 'coordinator', 'teacher', 'expert', 'parent'];

/** The widest staff scope decides what the console shows first (city → district → school → class). */
export function useMe() {
  const scope = computed<Scope | null>(() => {
    const scopes = (me.value?.scopes ?? []).filter((s) => s.role !== 'parent');
    return [...scopes].sort((a, b) => RANK.indexOf(a.role) - RANK.indexOf(b.role))[0] ?? null;
  });
  const has = (...roles: Role[]) => (me.value?.scopes ?? []).some((s) => roles.includes(s.role));
  return { me, scope, has };
}

export const ROLE_LABEL: Record<Role, string> = {
  city_admin: '市教育局',
  district_admin: '区县教育局',
  coordinator: '家庭教育总协调员',
  teacher: '班主任',
  expert: '评审专家',
  parent: '家长',
};
