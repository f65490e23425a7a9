import { IsString, MaxLength, MinLength } from 'class-validator';

// The event map lives in libs/common (no imports there), so browser clients share it.
export type { Ack, ClientToServerEvents, ServerToClientEvents } from '@jiaxiao/common';

/** `auth:refresh`: a fresh access token (from POST /auth/refresh) of the socket's session. */
export class AuthRefreshDto {
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  token: string;
}
