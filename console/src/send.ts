// Sending a decision from a dialog: busy while it runs; once done the user
// is told and the list reloaded; when refused, the API's message for the
// dialog's one text field (or its whole message) is shown beside that field.
import { ref } from 'vue'
import { ElMessage } from 'element-plus'
import { t } from './i18n'

export function useSend(reload: () => Promise<void>) {
  const busy = ref(false)
  const error = ref('')
  /** Sends; true when it was done. field is the request field the dialog edits. */
  async function send(call: () => Promise<unknown>, field: string): Promise<boolean> {
    busy.value = true
    error.value = ''
    try {
      await call()
      ElMessage.success(t('done'))
      await reload()
      return true
    } catch (e: any) {
      error.value = e.fields?.[field] || e.message
      return false
    } finally {
      busy.value = false
    }
  }
  return { busy, error, send }
}
