import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Session } from '@jiaxiao/web-shared/api';
import { api, unwrap } from '../lib/api';
import { forgetConsent } from '../lib/consent';

const STAFF = ['teacher', 'coordinator', 'district_admin', 'city_admin'];

export const useSession = defineStore('session', () => {
  const session = ref<Session | null>(api.session);
  const user = computed(() => session.value?.user ?? null);
  const isStaff = computed(() => (user.value?.roles ?? []).some((role) => STAFF.includes(role)));

  function signedIn(next: Session) {
    forgetConsent();
    api.setSession(next);
    session.value = next;
  }

  async function loginWithPassword(phone: string, password: string) {
    signedIn(await unwrap(api.client.POST('/auth/login', { body: { phone, password } })));
  }

  /** PUT /me/password succeeded: the one-time password gate is gone for this session. */
  function passwordChanged() {
    if (!session.value) return;
    const next = { ...session.value, user: { ...session.value.user, passwordChangeRequired: false } };
    api.setSession(next);
    session.value = next;
  }

  function signOut() {
    forgetConsent();
    api.setSession(null);
    session.value = null;
  }

  return { session, user, isStaff, signedIn, loginWithPassword, passwordChanged, signOut };
});
