import { api } from './api';

/**
 * The guardian's consent to the personal-information notice (PIPL). `GET /me` says
 * `consentRequired` (with `consentVersion`) until `POST /me/consents {version}`; until then
 * children's data answers 403 CONSENT_REQUIRED. Asked once per page load.
 */
let pending: { version: string } | null | undefined;

export async function consentNeeded(): Promise<{ version: string } | null> {
  if (pending !== undefined) return pending;
  const response = await api.fetch('/me');
  if (!response.ok) return null;
  const me = (await response.json()) as { consentRequired?: boolean; consentVersion?: string };
  pending = me.consentRequired && me.consentVersion ? { version: me.consentVersion } : null;
  return pending;
}

export async function giveConsent(version: string): Promise<Response> {
  const response = await api.fetch('/me/consents', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version }),
  });
  if (response.ok) pending = null;
  return response;
}

export function forgetConsent(): void {
  pending = undefined;
}
