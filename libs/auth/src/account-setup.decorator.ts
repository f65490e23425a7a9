import { SetMetadata } from '@nestjs/common';

export const ACCOUNT_SETUP = 'jiaxiao:accountSetup';

/**
 * Marks a route an account may use before its setup is complete: while a one-time password
 * must be changed (403 PASSWORD_CHANGE_REQUIRED elsewhere) or the privacy notice accepted
 * (403 CONSENT_REQUIRED elsewhere). Only the routes that complete the setup, `GET /me` and logout.
 */
export const AccountSetup = () => SetMetadata(ACCOUNT_SETUP, true);
