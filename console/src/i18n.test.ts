import { beforeAll, describe, expect, it, vi } from 'vitest'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// i18n keeps the chosen language in localStorage, which node has not.
let i18n: typeof import('./i18n')
let status: typeof import('./status')
beforeAll(async () => {
  const store = new Map<string, string>()
  vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) })
  i18n = await import('./i18n')
  status = await import('./status')
})

// Every source file of the console, for the keys its templates use.
function sources(dir = __dirname): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return e.name === 'api' ? [] : sources(p)
    return /\.(vue|ts)$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : []
  })
}

describe('messages', () => {
  it('has every key in both languages', () => {
    const zh = Object.keys(i18n.messages['zh-CN']).sort()
    const en = Object.keys(i18n.messages.en).sort()
    expect(en.filter((k) => !zh.includes(k))).toEqual([])
    expect(zh.filter((k) => !en.includes(k))).toEqual([])
  })
  it('has every key a screen asks for', () => {
    const missing: string[] = []
    for (const file of sources()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([^']+)'\)/g)) {
        if (!(m[1] in i18n.messages['zh-CN'])) missing.push(`${file.slice(__dirname.length + 1)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })
})

describe('statusLabel', () => {
  it('names a status in the chosen language and keeps an unknown value as it is', () => {
    i18n.locale.value = 'zh-CN'
    expect(status.statusLabel('claim', 'under_review')).toBe('审核中')
    expect(status.statusLabel('batch', 'pending_approval')).toBe('待复核')
    i18n.locale.value = 'en'
    expect(status.statusLabel('claim', 'under_review')).toBe('Under review')
    expect(status.statusLabel('claim', 'something_new')).toBe('something_new')
    expect(status.statusLabel('claim', undefined)).toBe('')
    i18n.locale.value = 'zh-CN'
  })
  it('reads "pending" by what is pending', () => {
    expect(status.statusLabel('employment', 'pending')).not.toBe(status.statusLabel('offer', 'pending'))
  })
})
