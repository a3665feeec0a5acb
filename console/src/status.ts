// Every status the contract can return, in both languages. Each table is
// typed by the contract's own enum (Record<enum, …>), so a status added to
// openapi/anju.yaml and not named here fails `vue-tsc` in the build rather
// than reaching a screen as raw text.
import type { Schemas } from './api/client'
import { locale } from './i18n'

type Label = [zh: string, en: string]
type Table<S extends string> = Record<S, Label>

const claim: Table<Schemas['ClaimStatus']> = {
  draft: ['草稿', 'Draft'], submitted: ['已提交', 'Submitted'], awaiting_employer: ['待单位确认', 'Awaiting employer'],
  under_review: ['审核中', 'Under review'], returned: ['退回补正', 'Returned'], lapsed: ['逾期失效', 'Lapsed'],
  approved: ['已批准', 'Approved'], rejected: ['不予批准', 'Rejected'], withdrawn: ['已撤回', 'Withdrawn'],
  active: ['发放中', 'Paying'], suspended: ['已暂停', 'Suspended'], completed: ['已完成', 'Completed'],
}
const doc: Table<Schemas['DocumentStatus']> = {
  pending: ['待上传', 'Pending'], inspecting: ['检查中', 'Inspecting'], accepted: ['已接收', 'Accepted'], rejected: ['未通过', 'Rejected'],
}
const employment: Table<Schemas['EmploymentStatus']> = {
  pending: ['待确认', 'Pending'], confirmed: ['已确认', 'Confirmed'], rejected: ['未确认', 'Rejected'],
  superseded: ['已更新', 'Superseded'], ended: ['已离职', 'Ended'],
}
const payment: Table<Schemas['PaymentStatus']> = {
  scheduled: ['待发放', 'Scheduled'], held: ['暂缓', 'Held'], due: ['应付', 'Due'], batched: ['已入批次', 'In a batch'],
  paid: ['已支付', 'Paid'], failed: ['支付失败', 'Failed'], suspended: ['已暂停', 'Suspended'],
}
const batch: Table<Schemas['BatchStatus']> = {
  pending_approval: ['待复核', 'Pending approval'], approved: ['已复核', 'Approved'], settled: ['已结清', 'Settled'], rejected: ['已退回', 'Rejected'],
}
const clawback: Table<Schemas['ClawbackStatus']> = {
  proposed: ['待确认', 'Proposed'], owed: ['待追回', 'Owed'], repaid: ['已追回', 'Repaid'], cancelled: ['已取消', 'Cancelled'],
}
const unit: Table<Schemas['UnitStatus']> = {
  available: ['可分配', 'Available'], offered: ['已发出要约', 'Offered'], let: ['已出租', 'Let'], maintenance: ['维修中', 'Maintenance'],
}
const round: Table<Schemas['Round']['status']> = { open: ['申请中', 'Open'], closed: ['已截止', 'Closed'], drawn: ['已摇号', 'Drawn'] }
const application: Table<Schemas['HousingApplication']['status']> = {
  eligible: ['符合条件', 'Eligible'], ineligible: ['不符合条件', 'Ineligible'], withdrawn: ['已撤回', 'Withdrawn'],
  allocated: ['已配租', 'Allocated'], waitlisted: ['候补', 'Waitlisted'],
}
const lease: Table<Schemas['Lease']['status']> = { active: ['在租', 'Active'], moving_out: ['退租中', 'Moving out'], ended: ['已退租', 'Ended'] }
const offer: Table<Schemas['Offer']['status']> = {
  pending: ['待答复', 'Pending'], accepted: ['已接受', 'Accepted'], declined: ['已放弃', 'Declined'], expired: ['已过期', 'Expired'], ended: ['已结束', 'Ended'],
}
const registration: Table<Schemas['EmployerRegistration']['status']> = { pending: ['待审核', 'Pending'], approved: ['已通过', 'Approved'], rejected: ['已驳回', 'Rejected'] }
const employer: Table<Schemas['Employer']['status']> = { registered: ['已注册', 'Registered'], unregistered: ['未注册', 'Not registered'] }
const invitation: Table<Schemas['Invitation']['status']> = { pending: ['待接受', 'Pending'], accepted: ['已接受', 'Accepted'], revoked: ['已撤销', 'Revoked'], expired: ['已过期', 'Expired'] }
const publicity: Table<Schemas['PublicityEntry']['status']> = { open: ['公示中', 'On notice'], objected: ['有异议', 'Objected'] }
const objection: Table<Schemas['Objection']['status']> = { open: ['待处理', 'Open'], upheld: ['异议成立', 'Upheld'], dismissed: ['异议不成立', 'Dismissed'] }
const correction: Table<Schemas['Correction']['status']> = { proposed: ['待审批', 'Proposed'], applied: ['已生效', 'Applied'] }
const correctionKind: Table<Schemas['Correction']['kind']> = { correction: ['摇号结果更正', 'Correction of the draw'], assignment: ['人工分配', 'Assignment by hand'] }
const tier: Table<Schemas['TierCertification']['status']> = { proposed: ['待审批', 'Proposed'], approved: ['已认定', 'Approved'], rejected: ['不予认定', 'Rejected'] }

// What a view of personal data was (the access log); not a status, but
// named the same way, typed by the contract's enum.
const access: Table<Schemas['AccessEntry']['what']> = {
  review_claim: ['审核查看申请', 'Claim reviewed'], document: ['查看材料', 'Document viewed'], batch: ['查看付款批次', 'Payment batch viewed'],
  batch_export: ['导出付款文件', 'Batch exported'], user_search: ['用户搜索', 'User search'],
}

// Not a status, but shown beside them the same way.
const pkg: Table<Schemas['PolicyPackageID']> = { relocation: ['一次性安家补贴', 'Relocation allowance'], rent: ['租房补贴', 'Rent allowance'], living: ['生活补贴', 'Living allowance'] }

const tables = { package: pkg, claim, document: doc, employment, payment, batch, clawback, unit, round, application, lease, offer, registration, employer, invitation, publicity, objection, correction, correctionKind, tier, access }

/** The kinds of object whose status the console shows. */
export type StatusKind = keyof typeof tables

/** The status in the user's language; an unknown value is shown as it is. */
export function statusLabel(kind: StatusKind, value: string | undefined | null): string {
  if (!value) return ''
  const l = (tables[kind] as Record<string, Label>)[value]
  return l ? l[locale.value === 'en' ? 1 : 0] : value
}

/** The values of one kind, in the contract's order, for filters. */
export function statusValues<K extends StatusKind>(kind: K): (keyof (typeof tables)[K] & string)[] {
  return Object.keys(tables[kind]) as (keyof (typeof tables)[K] & string)[]
}

const tone: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  approved: 'success', accepted: 'success', confirmed: 'success', paid: 'success', settled: 'success', active: 'success',
  allocated: 'success', let: 'success', repaid: 'success', registered: 'success', applied: 'success', completed: 'info',
  rejected: 'danger', failed: 'danger', ineligible: 'danger', lapsed: 'danger', upheld: 'danger', objected: 'danger', owed: 'danger',
  returned: 'warning', pending: 'warning', pending_approval: 'warning', proposed: 'warning', under_review: 'primary',
  awaiting_employer: 'warning', held: 'warning', suspended: 'warning', moving_out: 'warning', waitlisted: 'warning', offered: 'warning',
}

/** The el-tag type that goes with a status. */
export function statusTone(value: string | undefined | null): 'success' | 'warning' | 'danger' | 'info' | 'primary' {
  return (value && tone[value]) || 'info'
}
