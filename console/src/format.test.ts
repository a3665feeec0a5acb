import { describe, expect, it } from 'vitest'
import { date, money, overdue } from './format'

describe('money', () => {
  it('shows fen as yuan with two decimals in both languages', () => {
    expect(money(3000000, 'zh-CN')).toBe('¥30,000.00')
    expect(money(1333333, 'en')).toBe('CN¥13,333.33')
    expect(money(undefined, 'zh-CN')).toBe('—')
  })
})

describe('date', () => {
  it('shows a civil date as the same day in Chinese', () => {
    expect(date('2026-03-05', 'zh-CN')).toBe('2026年3月5日')
  })
  it('shows a UTC time as the day in Shanghai', () => {
    // 17:00 UTC on the 4th is 01:00 on the 5th in Shanghai.
    expect(date('2026-03-04T17:00:00Z', 'zh-CN')).toBe('2026年3月5日')
  })
})

describe('overdue', () => {
  it('is true only once the deadline passed', () => {
    const now = new Date('2026-03-05T00:00:00Z')
    expect(overdue('2026-03-04T23:59:59Z', now)).toBe(true)
    expect(overdue('2026-03-05T00:00:01Z', now)).toBe(false)
    expect(overdue(undefined, now)).toBe(false)
  })
})
