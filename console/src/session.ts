// Who is signed in (GET /v1/me) and which of their staff roles the console
// is showing; the choice is kept per browser.
import { computed, ref } from 'vue'
import { api, must, type Schemas } from './api/client'

export const staffRoles = ['reviewer', 'lead_reviewer', 'hr', 'employer_admin', 'housing', 'finance', 'admin'] as const
export type StaffRole = (typeof staffRoles)[number]

export const me = ref<Schemas['Me'] | null>(null)
export const activeRole = ref<StaffRole | null>(null)

export const roles = computed<StaffRole[]>(() => {
  const got = new Set((me.value?.user.roles ?? []).map((g) => g.role))
  return staffRoles.filter((r) => got.has(r))
})

export function grant(role: StaffRole) {
  return me.value?.user.roles.find((g) => g.role === role)
}

export async function loadMe() {
  me.value = await must(api.GET('/v1/me'))
  const saved = localStorage.getItem('anju.role') as StaffRole | null
  activeRole.value = saved && roles.value.includes(saved) ? saved : roles.value[0] ?? null
}

export function switchRole(r: StaffRole) {
  activeRole.value = r
  localStorage.setItem('anju.role', r)
}

export function clearSession() {
  me.value = null
  activeRole.value = null
}

// home is the first screen of a role.
export function home(r: StaffRole | null): string {
  switch (r) {
    case 'reviewer': case 'lead_reviewer': return '/review'
    case 'hr': return '/hr/employments'
    case 'employer_admin': return '/employer/staff'
    case 'finance': return '/finance/batches'
    case 'housing': return '/housing/units'
    case 'admin': return '/admin/users'
  }
  return '/no-role'
}

export const menus: Record<StaffRole, { path: string; label: string }[]> = {
  reviewer: [{ path: '/review', label: 'menu.queue' }, { path: '/review/objections', label: 'menu.objections' }, { path: '/review/clawbacks', label: 'menu.reviewClawbacks' }, { path: '/review/tiers', label: 'menu.tiers' }, { path: '/reports', label: 'menu.reports' }],
  lead_reviewer: [{ path: '/review', label: 'menu.queue' }, { path: '/review/objections', label: 'menu.objections' }, { path: '/review/clawbacks', label: 'menu.reviewClawbacks' }, { path: '/review/tiers', label: 'menu.tiers' }, { path: '/reports', label: 'menu.reports' }],
  hr: [{ path: '/hr/employments', label: 'menu.employments' }, { path: '/hr/claims', label: 'menu.hrClaims' }, { path: '/hr/filings', label: 'menu.filings' }],
  // An employer admin manages who acts for the employer and follows its
  // people's claims; declarations and filings are HR's (a grant of its own).
  employer_admin: [{ path: '/employer/staff', label: 'menu.staff' }, { path: '/hr/claims', label: 'menu.hrClaims' }],
  finance: [{ path: '/finance/batches', label: 'menu.batches' }, { path: '/finance/clawbacks', label: 'menu.clawbacks' }, { path: '/reports', label: 'menu.reports' }],
  housing: [{ path: '/housing/properties', label: 'menu.properties' }, { path: '/housing/units', label: 'menu.units' }, { path: '/housing/rounds', label: 'menu.rounds' },
    { path: '/housing/leases', label: 'menu.housingLeases' }, { path: '/housing/objections', label: 'menu.housingObjections' }],
  admin: [{ path: '/admin/users', label: 'menu.users' }, { path: '/admin/employers', label: 'menu.employers' }, { path: '/admin/policies', label: 'menu.policies' }, { path: '/admin/access-log', label: 'menu.accessLog' }, { path: '/reports', label: 'menu.reports' }],
}
