// The event map lives in libs/common (no imports there), so browser clients share it.
export type { Ack, ClientToServerEvents, ServerToClientEvents } from '@jiaxiao/common';
