/** Roles a user can hold. `parent` comes from guardianship records; the others from role assignments. */
export const ROLES = ['parent', 'teacher', 'coordinator', 'district_admin', 'city_admin', 'expert'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPE_TYPES = ['city', 'district', 'school', 'class'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

/** Staff roles and the scope each one must carry. */
export const ASSIGNABLE_ROLES = {
  teacher: 'class',
  coordinator: 'school',
  district_admin: 'district',
  city_admin: 'city',
  expert: 'city',
} as const satisfies Record<Exclude<Role, 'parent'>, ScopeType>;
export type AssignableRole = keyof typeof ASSIGNABLE_ROLES;

/** Roles allowed into admin-api. */
export const ADMIN_ROLES: readonly Role[] = ['teacher', 'coordinator', 'district_admin', 'city_admin'];

export const ROLE_LABELS: Record<Role, string> = {
  parent: '家长',
  teacher: '教师',
  coordinator: '家庭教育总协调员',
  district_admin: '区县教育局',
  city_admin: '市教育局',
  expert: '专家',
};
