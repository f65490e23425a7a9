import { defineStore } from 'pinia';
import { ref } from 'vue';
import { connectRealtime, type Realtime } from '@jiaxiao/web-shared/socket';
import { api, gatewayUrl } from '../lib/api';

/**
 * The one gateway connection of the signed-in user. The token is read afresh on every
 * (re)connect; a refused handshake (an expired access token) rotates the refresh token once and
 * connects again. Screens subscribe to `realtime.socket` events and re-sync on `connect`.
 */
export const useRealtime = defineStore('realtime', () => {
  const connected = ref(false);
  let current: Realtime | null = null;

  function start(): Realtime {
    if (current) return current;
    const realtime = connectRealtime(gatewayUrl(), () => api.session?.accessToken ?? null);
    realtime.socket.on('connect', () => (connected.value = true));
    realtime.socket.on('disconnect', () => (connected.value = false));
    realtime.socket.on('connect_error', () => {
      connected.value = false;
      // The middleware refused us (socket.active is false): the token has expired or was revoked.
      if (!realtime.socket.active) {
        void api.refresh().then((session) => {
          if (session) realtime.socket.connect();
        });
      }
    });
    current = realtime;
    return realtime;
  }

  function stop() {
    current?.socket.disconnect();
    current = null;
    connected.value = false;
  }

  return { connected, start, stop };
});
