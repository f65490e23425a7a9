/** Server→client events of the gateway, typed once for both sides. */
export interface ServerToClientEvents {
  'session:ready': (payload: { userId: string; roles: string[] }) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** Room names: one per user (notifications, multi-device sync). */
export const userRoom = (userId: string) => `user:${userId}`;
