// Chinese formats for money and dates: amounts are fen in the contract and
// shown as yuan (¥30,000.00); dates as 2026年3月5日 in zh-CN, times in the
// city's zone (Asia/Shanghai) whatever the browser's.
export type Locale = 'zh-CN' | 'en'

const zone = 'Asia/Shanghai'

export function money(fen: number | undefined | null, locale: Locale): string {
  if (fen === undefined || fen === null) return '—'
  return new Intl.NumberFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {
    style: 'currency', currency: 'CNY', minimumFractionDigits: 2,
  }).format(fen / 100)
}

// date formats a YYYY-MM-DD civil date or an RFC 3339 time as a day.
export function date(v: string | undefined | null, locale: Locale): string {
  if (!v) return '—'
  const civil = /^\d{4}-\d{2}-\d{2}$/.test(v)
  const d = new Date(civil ? v + 'T00:00:00+08:00' : v)
  if (isNaN(d.getTime())) return v
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: locale === 'zh-CN' ? 'long' : 'short', day: 'numeric', timeZone: zone,
  }).format(d)
}

export function dateTime(v: string | undefined | null, locale: Locale): string {
  if (!v) return '—'
  const d = new Date(v)
  if (isNaN(d.getTime())) return v
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: zone,
  }).format(d)
}

// overdue: a deadline passed before now.
export function overdue(dueAt: string | undefined, now = new Date()): boolean {
  return !!dueAt && new Date(dueAt).getTime() < now.getTime()
}
