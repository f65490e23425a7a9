import { onBeforeUnmount, ref, type Ref } from 'vue';
import { ApiError } from '@jiaxiao/web-shared/api';
import { errorText } from '../lib/api';
import { showToast } from '../lib/toast';

/** POST to a public route (no session, no refresh on 401); a non-2xx answer is thrown as ApiError. */
export async function postPublic(path: string, body: object): Promise<Response> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw await ApiError.fromResponse(response);
  return response;
}

/** Asks for an SMS code (`login` or `reset`) and counts down until another may be asked for. */
export function useSmsCode(phone: Ref<string>, purpose: 'login' | 'reset') {
  const countdown = ref(0);
  const sending = ref(false);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function send() {
    if (!/^1\d{10}$/.test(phone.value.trim()) || countdown.value > 0) return;
    sending.value = true;
    try {
      const response = await postPublic('/auth/sms-codes', { phone: phone.value.trim(), purpose });
      const body = (await response.json()) as { sentTo: string; retryAfter: number };
      showToast(`验证码已发送至 ${body.sentTo}`);
      countdown.value = body.retryAfter;
      timer = setInterval(() => {
        countdown.value -= 1;
        if (countdown.value <= 0) clearInterval(timer);
      }, 1000);
    } catch (error) {
      showToast(errorText(error));
    } finally {
      sending.value = false;
    }
  }

  onBeforeUnmount(() => clearInterval(timer));
  return { countdown, sending, send };
}
