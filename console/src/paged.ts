// A list paged on the server: the first page, then "load more" with the
// cursor the last page returned. Every list screen pages this way, so the
// cursor, the loading mask and the error message live here once.
import { ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'

/** A page as every list operation of the contract returns it. */
export interface Page<T> {
  items: T[]
  nextCursor?: string | null
}

/**
 * The items loaded so far, the cursor of the next page (none at the end),
 * whether a page is on its way, and load: load() starts again from the first
 * page (after a filter changed), load(true) appends the next. A failure is
 * shown to the user and leaves the list as it was.
 */
export function usePaged<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>) {
  const items = ref([]) as Ref<T[]>
  const next = ref<string | undefined>()
  const loading = ref(false)
  async function load(more = false) {
    loading.value = true
    try {
      const page = await fetch(more ? next.value : undefined)
      items.value = more ? items.value.concat(page.items) : page.items
      next.value = page.nextCursor ?? undefined
    } catch (e: any) {
      ElMessage.error(e.message)
    } finally {
      loading.value = false
    }
  }
  return { items, next, loading, load }
}
