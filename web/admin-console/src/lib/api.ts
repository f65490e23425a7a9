import { createApiClient, localSessionStore, unwrap } from '@jiaxiao/web-shared/api';
import type { components, paths } from '@jiaxiao/web-shared/admin-api';

export type Schemas = components['schemas'];
export { unwrap };

/** The admin-api client (same origin): bearer token, refresh rotation, typed routes. */
export const api = createApiClient<paths>({
  baseUrl: location.origin,
  store: localSessionStore('jx.console.session'),
  onSignedOut: () => {
    location.assign('/console/login');
  },
});
