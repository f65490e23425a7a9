import { computed, onBeforeUnmount, ref } from 'vue';
import type { SendMessagePayload, SocketMessage } from '@jiaxiao/web-shared/socket';
import { api, unwrap } from '../lib/api';
import { useRealtime } from '../stores/realtime';

export interface Pending {
  clientMsgId: string;
  payload: SendMessagePayload;
  /** what the bubble shows while the message has no seq yet */
  preview: string;
  state: 'sending' | 'failed';
  error?: string;
}

const PAGE = 100;
/** messages per page of history (the newest page, then older ones while scrolling up) */
const HISTORY_PAGE = 50;
let counter = 0;
const newClientMsgId = () => `h5-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * One conversation's messages in seq order: the newest page from REST (older pages by `beforeSeq`
 * while scrolling up), then live `message:new`;
 * a gap in seqs, a reconnect or the page coming back to the foreground runs `conversation:sync`
 * from the last seq held. Sends go through a queue: each keeps its clientMsgId, so a retry after a
 * lost ack returns the stored message instead of a duplicate.
 */
export function useChat(conversationId: string) {
  const realtime = useRealtime().start();
  const messages = ref<SocketMessage[]>([]);
  const pending = ref<Pending[]>([]);
  const lastSeq = computed(() => messages.value.at(-1)?.seq ?? 0);
  /** older messages exist above the first one held */
  const hasEarlier = ref(false);
  const loadingEarlier = ref(false);
  let syncing: Promise<void> | null = null;

  function merge(incoming: SocketMessage[]) {
    const bySeq = new Map(messages.value.map((m) => [m.seq, m]));
    for (const message of incoming) {
      if (message.conversationId !== conversationId) continue;
      bySeq.set(message.seq, message);
      pending.value = pending.value.filter((p) => p.clientMsgId !== message.clientMsgId);
    }
    messages.value = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  async function page(beforeSeq: number) {
    const result = await unwrap(
      api.client.GET('/conversations/{id}/messages', {
        params: { path: { id: conversationId }, query: { beforeSeq, limit: HISTORY_PAGE } },
      }),
    );
    hasEarlier.value = result.items.length === HISTORY_PAGE && (result.items[0]?.seq ?? 1) > 1;
    merge(result.items);
  }

  const loadLatest = (conversationLastSeq: number) => page(conversationLastSeq + 1);

  /** The page before the first message held (scrolling up); false when nothing was loaded. */
  async function loadEarlier(): Promise<boolean> {
    const first = messages.value[0]?.seq;
    if (!hasEarlier.value || loadingEarlier.value || first === undefined) return false;
    loadingEarlier.value = true;
    try {
      await page(first);
      return true;
    } finally {
      loadingEarlier.value = false;
    }
  }

  /** Everything after the last seq held, page by page. */
  function catchUp(): Promise<void> {
    syncing ??= (async () => {
      try {
        for (;;) {
          const ack = await realtime.request('conversation:sync', { conversationId, afterSeq: lastSeq.value, limit: PAGE });
          if (!ack.ok) return;
          merge(ack.messages);
          if (ack.messages.length < PAGE) return;
        }
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  }

  let readTimer: ReturnType<typeof setTimeout> | undefined;
  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      if (document.visibilityState === 'visible' && lastSeq.value > 0)
        void realtime.request('conversation:read', { conversationId, seq: lastSeq.value });
    }, 300);
  }

  async function deliver(item: Pending) {
    item.state = 'sending';
    item.error = undefined;
    const ack = await realtime.request('message:send', item.payload);
    if (ack.ok) {
      merge([ack.message]);
      markRead();
    } else {
      const still = pending.value.find((p) => p.clientMsgId === item.clientMsgId);
      if (still) {
        still.state = 'failed';
        still.error = ack.message;
      }
    }
  }

  function send(payload: Omit<SendMessagePayload, 'conversationId' | 'clientMsgId'>, preview: string) {
    const item: Pending = {
      clientMsgId: newClientMsgId(),
      payload: { ...payload, conversationId, clientMsgId: '' },
      preview,
      state: 'sending',
    };
    item.payload.clientMsgId = item.clientMsgId;
    pending.value.push(item);
    void deliver(pending.value[pending.value.length - 1]);
  }

  const retry = (item: Pending) => void deliver(item);

  const onNew = (message: SocketMessage) => {
    if (message.conversationId !== conversationId) return;
    const gap = message.seq > lastSeq.value + 1;
    merge([message]);
    if (gap) void catchUp();
    markRead();
  };
  const onRecalled = (event: { conversationId: string; messageId: string }) => {
    if (event.conversationId !== conversationId) return;
    messages.value = messages.value.map((m) =>
      m.id === event.messageId ? { ...m, recalled: true, text: null, attachment: undefined } : m,
    );
  };
  const onConnect = () => {
    void catchUp();
    // Sends that were waiting for the connection go now (same clientMsgId: no duplicates).
    for (const item of pending.value) if (item.state === 'failed') void deliver(item);
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') {
      void catchUp();
      markRead();
    }
  };

  realtime.socket.on('message:new', onNew);
  realtime.socket.on('message:recalled', onRecalled);
  realtime.socket.on('connect', onConnect);
  document.addEventListener('visibilitychange', onVisible);
  onBeforeUnmount(() => {
    realtime.socket.off('message:new', onNew);
    realtime.socket.off('message:recalled', onRecalled);
    realtime.socket.off('connect', onConnect);
    document.removeEventListener('visibilitychange', onVisible);
    clearTimeout(readTimer);
  });

  return { messages, pending, lastSeq, hasEarlier, loadingEarlier, loadLatest, loadEarlier, catchUp, markRead, send, retry, realtime };
}
