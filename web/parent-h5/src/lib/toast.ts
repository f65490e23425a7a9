import { ref } from 'vue';

/** A short message over the screen, announced to screen readers (a status region, not a dialog). */
export const toastText = ref<string | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export function showToast(text: string, ms = 2000): void {
  toastText.value = text;
  clearTimeout(timer);
  timer = setTimeout(() => (toastText.value = null), ms);
}
