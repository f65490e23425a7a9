import { ref, type Ref } from 'vue';
import { errorText } from '../lib/api';

/** A screen's data with its loading and error states, and a way to load it again. */
export function useLoad<T>(load: () => Promise<T>) {
  const data = ref<T | null>(null) as Ref<T | null>;
  const loading = ref(true);
  const error = ref<string | null>(null);
  async function reload() {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load();
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loading.value = false;
    }
  }
  void reload();
  return { data, loading, error, reload };
}
