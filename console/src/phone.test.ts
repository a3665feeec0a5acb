import { describe, expect, it } from 'vitest'
import { e164 } from './phone'

describe('e164', () => {
  it('reads a mainland mobile number as typed', () => {
    expect(e164('13912345678')).toBe('+8613912345678')
    expect(e164(' 139 1234-5678 ')).toBe('+8613912345678')
  })
  it('keeps a number already in E.164', () => {
    expect(e164('+8613912345678')).toBe('+8613912345678')
    expect(e164('+85291234567')).toBe('+85291234567')
  })
  it('refuses what is not a number', () => {
    for (const bad of ['', '1391234567', '23912345678', '+0123', 'abc', '+86 139 1234 5678 9999 9']) expect(e164(bad)).toBe('')
  })
})
