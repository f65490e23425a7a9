/** Which API the auth module serves: admin-api refuses callers without a staff role. */
export interface AuthOptions {
  audience: 'parent' | 'admin';
}

export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
