// Names for the controls Element Plus renders without one: the checkboxes
// of a table's selection column have no label, so a screen reader says only
// "checkbox". Every such box, in any table, present or rendered later, is
// named here once for all screens.
import { t } from './i18n'

function name(root: ParentNode) {
  for (const box of root.querySelectorAll<HTMLInputElement>('.el-table .el-checkbox__original:not([aria-label])')) {
    const header = box.closest('thead') !== null
    const row = box.closest('tr')
    const first = row?.querySelector('td:not(.el-table-column--selection) .cell')?.textContent?.trim()
    box.setAttribute('aria-label', header ? t('a11y.selectAll') : `${t('a11y.selectRow')} ${first ?? ''}`.trim())
  }
}

/** Keeps the selection checkboxes under root named as tables render. */
export function nameTableCheckboxes(root: HTMLElement) {
  name(root)
  new MutationObserver(() => name(root)).observe(root, { childList: true, subtree: true })
}
