// The console's own words in both languages (zh-CN by default), with the
// Element Plus locale that goes with each. The choice is kept per browser.
import { computed, ref } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import en from 'element-plus/es/locale/lang/en'
import * as f from './format'
import type { Locale } from './format'

export const messages = {
  'zh-CN': {
    app: '人才安居 · 工作台', signIn: '登录', signOut: '退出登录', email: '电子邮箱', password: '密码',
    role: '当前角色', language: 'English', noRole: '您的账号没有工作人员角色',
    noRoleHelp: '请联系管理员为您授予角色（审核员、人事专员、住房专员、财务或管理员）。您的用户编号：',
    loading: '加载中…', search: '搜索', reset: '重置', actions: '操作', status: '状态', name: '姓名',
    'roles.hr': '人事专员', 'roles.employer_admin': '单位管理员', 'roles.reviewer': '审核员', 'roles.lead_reviewer': '审核组长',
    'roles.housing': '住房专员', 'roles.finance': '财务', 'roles.admin': '管理员', 'roles.graduate': '毕业生',
    'menu.queue': '审核队列', 'menu.tiers': '人才层次认定', 'menu.employments': '在职确认', 'menu.filings': '入职备案',
    'menu.batches': '付款批次', 'menu.clawbacks': '追回款', 'menu.units': '房源', 'menu.rounds': '配租轮次',
    'menu.corrections': '调整与分配', 'menu.users': '用户与角色', 'menu.employers': '单位注册', 'menu.policies': '政策版本',
    'queue.overdue': '已超期', 'queue.onlyOverdue': '只看超期', 'queue.package': '项目', 'queue.applicant': '申请人',
    'queue.due': '办理期限', 'queue.submitted': '提交时间', 'queue.assignee': '经办', 'queue.mine': '我的', 'queue.unassigned': '未分配',
    'queue.sort': '排序', 'queue.byDeadline': '按期限', 'queue.bySubmission': '按提交', 'queue.open': '打开', 'queue.more': '加载更多',
    'claim.title': '申请详情', 'claim.applicant': '申请人', 'claim.nationalId': '身份证号', 'claim.age': '年龄',
    'claim.education': '学历', 'claim.hukou': '户籍', 'claim.employer': '工作单位', 'claim.contract': '合同期',
    'claim.si': '社保月数', 'claim.documents': '材料', 'claim.trace': '规则审查', 'claim.payments': '发放计划',
    'claim.audit': '办理记录', 'claim.approve': '批准', 'claim.reject': '不予批准', 'claim.return': '退回补正',
    'claim.note': '意见', 'claim.reason': '理由', 'claim.code': '原因类别', 'claim.confirmApprove': '确认批准该申请？批准后进入公示。',
    'claim.decided': '已办理', 'claim.returnItem': '需补正的项目（如 documents.diploma）', 'claim.take': '领取',
    'claim.preview': '预览', 'claim.outcome': '结论', 'claim.amount': '金额', 'claim.dueOn': '应付日期', 'claim.seq': '期次',
    'tier.user': '用户编号', 'tier.tier': '层次', 'tier.evidence': '依据', 'tier.propose': '提出认定', 'tier.approve': '同意', 'tier.rejectIt': '不同意',
    'tier.proposedBy': '提出人', 'hr.graduate': '毕业生', 'hr.since': '申报入职日期', 'hr.contractStart': '合同开始',
    'hr.contractEnd': '合同结束', 'hr.siStart': '社保起缴', 'hr.confirm': '确认在职', 'hr.reject': '不予确认',
    'hr.confirmSelected': '批量确认所选', 'hr.end': '登记离职', 'hr.endedOn': '离职日期', 'hr.results': '办理结果',
    'hr.file': '选择备案文件（CSV 或 XLSX）', 'hr.upload': '上传', 'hr.row': '行', 'hr.field': '字段', 'hr.problem': '问题',
    'fin.create': '生成付款批次', 'fin.count': '笔数', 'fin.total': '总额', 'fin.maker': '制单人', 'fin.approve': '复核通过',
    'fin.rejectIt': '退回', 'fin.export': '下载 XLSX', 'fin.returns': '上传银行回单', 'fin.heldBack': '暂缓支付',
    'fin.confirmApprove': '复核通过后可导出付款文件，确认？', 'fin.paid': '已付', 'fin.reference': '银行流水号', 'fin.failed': '失败',
    // HrClaims, Reports (reconciliation and delivery charts), phone sign-in (SignIn): console-hr.
    'menu.hrClaims': '员工申请进度', 'menu.reports': '对账与时效',
    'hrc.note': '列出在本单位在职（含待确认）人员已提交的申请及其进度；金额、银行信息和审核理由不向单位展示。',
    'hrc.employment': '在职状态', 'hrc.nextStep': '下一步', 'hrc.by': '期限', 'hrc.decided': '办结日期', 'hrc.nextPayment': '下次发放',
    'hrc.allStatuses': '全部状态', 'hrc.allPackages': '全部项目', 'hrc.empty': '暂无本单位人员的申请',
    'step.submit': '提交申请', 'step.documents_check': '材料审核', 'step.employer_confirmation': '单位确认在职', 'step.review': '资格审核',
    'step.supplement': '补正材料', 'step.public_notice': '公示', 'step.appeal': '可申请复核', 'step.payment': '资金发放',
    'step.update_employment': '更新在职信息',
    'actor.graduate': '毕业生', 'actor.employer': '用人单位', 'actor.office': '人才办', 'actor.finance': '财务', 'actor.housing': '住房',
    'rep.reconciliation': '资金对账', 'rep.balanced': '账实相符', 'rep.unbalanced': '不平衡',
    'rep.equation': '已批准金额 = 已支付 + 待支付（含失败待重付）+ 已暂停',
    'rep.approved': '已批准', 'rep.paid': '已支付', 'rep.scheduled': '待支付', 'rep.suspended': '已暂停',
    'rep.clawbackOwed': '待追回（已支付中）', 'rep.clawedBack': '已追回（已支付中）',
    'rep.clawbackNote': '追回款计在已支付之内：待追回为已确认、尚未归还的金额，已追回为已归还的金额。',
    'rep.delivery': '办理时效', 'rep.months': '个月', 'rep.month': '提交月份', 'rep.days': '天',
    'rep.chartNote': '按申请提交月份统计；柱为中位数，表中括号内为 P90 与已办结（已发放）数/申请数。',
    'rep.toDecision': '提交到审批决定（中位数，天）', 'rep.toMoney': '提交到首笔资金到账（中位数，天）', 'rep.breaches': '超过办理期限的申请（件）',
    'signin.byEmail': '邮箱登录', 'signin.byPhone': '手机号登录', 'signin.phone': '手机号', 'signin.phoneHint': '11 位手机号，或 +国家码',
    'signin.code': '短信验证码', 'signin.sendCode': '发送验证码', 'signin.otherNumber': '换一个号码', 'signin.badPhone': '请输入正确的手机号',
    'housing.unitId': '房源编号', 'housing.application': '申请编号', 'housing.round': '轮次', 'housing.assign': '提出人工分配',
    'housing.approve': '同意', 'housing.proposals': '待审批的调整', 'housing.import': '批量导入房源', 'housing.draw': '摇号',
    'housing.close': '截止申请', 'housing.open': '开启轮次',
    // Housing officer's day: a round's offers and waitlist, leases, objections to allocations
    // (HousingRound, HousingLeases, HousingLease, HousingObjections).
    'menu.housingLeases': '租约管理', 'menu.housingObjections': '配租公示异议',
    'housing.offers.open': '分配与候补', 'housing.offers.title': '分配结果与候补名单', 'housing.offers.all': '全部',
    'housing.offers.rank': '名次', 'housing.offers.applicant': '申请人', 'housing.offers.score': '积分', 'housing.offers.unit': '房源',
    'housing.offers.offer': '房源要约', 'housing.offers.expires': '答复期限', 'housing.offers.place': '候补顺位', 'housing.offers.lease': '租约',
    'housing.offers.placeHelp': '候补顺位按摇号名次排列；退回的房源依次分给偏好相符的第一位候补申请人。',
    'housing.offers.source.draw': '摇号', 'housing.offers.source.waitlist': '候补递补', 'housing.offers.source.manual': '人工分配', 'housing.offers.source.correction': '更正',
    'housing.lease.title': '租约', 'housing.lease.tenant': '承租人', 'housing.lease.unit': '房源', 'housing.lease.property': '楼盘',
    'housing.lease.term': '租期', 'housing.lease.months': '累计租期（月）', 'housing.lease.endsBefore': '到期早于', 'housing.lease.search': '姓名或身份证号',
    'housing.lease.checkedIn': '入住', 'housing.lease.checkedOut': '退房', 'housing.lease.notYet': '未办理',
    'housing.lease.checkIn': '办理入住', 'housing.lease.checkOut': '办理退房', 'housing.lease.moveOut': '发出退租通知',
    'housing.lease.confirmCheckIn': '确认承租人已领取钥匙？', 'housing.lease.confirmCheckOut': '确认承租人已交还钥匙？退房后租约结束，房源恢复可分配。',
    'housing.lease.rent': '租金（按租赁年度）', 'housing.lease.year': '第几年', 'housing.lease.percent': '占市场租金', 'housing.lease.monthly': '月租金',
    'housing.lease.renewal': '续租', 'housing.lease.renewalByTenant': '续租由承租人在手机端申请：到期前两个月起可续，每次 12 个月，累计不超过 36 个月。',
    'housing.lease.moveOutReason': '退租原因', 'housing.lease.moveOutBy': '退租期限', 'housing.lease.note': '说明（选填）',
    'housing.lease.reason.employment_ended': '离职后未在本市再就业', 'housing.lease.reason.home_bought': '在本市购房', 'housing.lease.reason.sublet': '转租',
    'housing.lease.reason.arrears': '拖欠租金', 'housing.lease.reason.term_ended': '租期届满', 'housing.lease.reason.other': '其他',
    'housing.objection.entry': '公示对象', 'housing.objection.round': '轮次', 'housing.objection.reasons': '异议理由', 'housing.objection.filed': '提出时间',
    'housing.objection.resolve': '处理', 'housing.objection.resolution': '处理意见（异议人和申请人可见）', 'housing.objection.uphold': '异议成立',
    'housing.objection.dismiss': '异议不成立', 'housing.objection.resolvedAt': '处理时间',
    'housing.objection.upholdHelp': '异议成立后，该分配撤出公示并通知申请人，由两名工作人员通过更正程序调整。',
    // Housing properties (HousingProperties).
    'menu.properties': '楼盘', 'property.new': '新增楼盘', 'property.edit': '编辑', 'property.save': '保存',
    'property.name': '楼盘名称', 'property.district': '所在区', 'property.address': '地址', 'property.created': '登记时间',
    'property.noDelete': '楼盘登记后不能删除（房源、轮次和租约都会引用它），但可以修改名称和地址。',
    'property.confirmCreate': '确认新增楼盘“{name}”？登记后不能删除。',
    'admin.userId': '用户编号', 'admin.lookup': '查询', 'admin.grant': '授予角色', 'admin.revoke': '撤销',
    'admin.employerId': '单位编号（人事专员需要）', 'admin.approve': '通过', 'admin.rejectIt': '驳回',
    'admin.creditCode': '统一社会信用代码', 'admin.contact': '联系人',
    // Review office: objections (ReviewObjections), clawbacks (ReviewClawbacks, ReviewClaim); admin: users, access log, policy versions.
    'menu.objections': '公示异议', 'menu.reviewClawbacks': '追回审核', 'menu.accessLog': '查阅记录',
    'objection.reasons': '异议理由', 'objection.filed': '提出时间', 'objection.notice': '公示期', 'objection.resolution': '处理意见',
    'objection.uphold': '异议成立', 'objection.dismiss': '异议不成立',
    'objection.upholdHelp': '异议成立：申请退回重新审核并撤下公示，申请人和异议人都会收到处理意见。',
    'objection.dismissHelp': '异议不成立：公示继续，异议人会收到处理意见。',
    'clawback.claim': '申请', 'clawback.amount': '应追回 / 已发放', 'clawback.served': '服务月数 / 约定月数', 'clawback.firstPaid': '首次发放',
    'clawback.proposedBy': '提出方', 'clawback.byJob': '系统', 'clawback.byReviewer': '审核员',
    'clawback.confirm': '确认追回', 'clawback.cancel': '取消追回', 'clawback.propose': '提出追回',
    'clawback.confirmHelp': '确认后毕业生将收到追回通知及以下理由，发放中的申请将暂停。',
    'clawback.cancelHelp': '取消后该追回不会再次提出，请写明原因（如已在本市重新就业）。',
    'clawback.proposeHelp': '金额按已发放金额和未满服务期的月数计算；离职日期默认取单位登记的离职日期。毕业生将收到通知。',
    'users.q': '姓名、身份证号、手机号或邮箱', 'users.qHelp': '姓名开头，或完整的证件号、手机号、邮箱', 'users.phone': '手机号',
    'users.roles': '工作角色', 'users.created': '注册时间', 'users.lastSeen': '最近使用', 'users.none': '没有找到用户',
    'users.logged': '搜索结果中的个人信息均已脱敏，每次查看都会记入查阅记录。', 'users.seenBy': '谁查看过此人的信息',
    'access.at': '时间', 'access.actor': '查看人', 'access.subject': '被查看人（用户编号）', 'access.what': '事项', 'access.object': '对象',
    'access.request': '请求编号',
    'policy.effective': '有效期', 'policy.openEnded': '长期', 'policy.origin': '来源', 'policy.builtIn': '系统内置',
    'policy.inForce': '现行', 'policy.clause': '依据条款', 'policy.value': '内容', 'policy.yaml': 'YAML 原文',
    'policy.startNext': '以此为基础编写下一版本', 'policy.publish': '发布新版本',
    'policy.part.parameter': '参数', 'policy.part.rule': '审查规则', 'policy.part.benefit': '补贴标准', 'policy.part.documents': '所需材料',
    done: '已完成', cancel: '取消', confirm: '确定', failed: '操作失败',
    'a11y.selectAll': '全选', 'a11y.selectRow': '选择',
    // The employer admin's people and invitations (EmployerStaff).
    'menu.staff': '单位人员', 'staff.members': '经办人员', 'staff.invitations': '邀请', 'staff.invite': '邀请人员',
    'staff.contact': '手机号或邮箱', 'staff.contactHelp': '被邀请人的手机号或电子邮箱', 'staff.code': '邀请码', 'staff.expires': '有效期至',
    'staff.revoke': '撤销邀请', 'staff.remove': '移除', 'staff.role': '角色',
    'labels.version': '版本', 'labels.bank': '开户行', 'labels.account': '账号', 'labels.claim': '申请编号', 'labels.format': '格式',
    'labels.commitment': '承诺值 / 申请池哈希', 'labels.kind': '类型', 'labels.layout': '户型', 'labels.floor': '楼层', 'labels.rent': '市场租金',
    // HR declarations searched and sorted on the server (HrEmployments).
    'hr.search': '姓名或身份证号',
  },
  en: {
    app: 'Anju · Staff console', signIn: 'Sign in', signOut: 'Sign out', email: 'Email', password: 'Password',
    role: 'Role', language: '中文', noRole: 'Your account has no staff role',
    noRoleHelp: 'Ask an administrator to grant you a role (reviewer, HR, housing, finance or admin). Your user id: ',
    loading: 'Loading…', search: 'Search', reset: 'Reset', actions: 'Actions', status: 'Status', name: 'Name',
    'roles.hr': 'HR', 'roles.employer_admin': 'Employer admin', 'roles.reviewer': 'Reviewer', 'roles.lead_reviewer': 'Lead reviewer',
    'roles.housing': 'Housing', 'roles.finance': 'Finance', 'roles.admin': 'Admin', 'roles.graduate': 'Graduate',
    'menu.queue': 'Review queue', 'menu.tiers': 'Talent tiers', 'menu.employments': 'Employment requests', 'menu.filings': 'Hire filings',
    'menu.batches': 'Payment batches', 'menu.clawbacks': 'Clawbacks', 'menu.units': 'Units', 'menu.rounds': 'Rounds',
    'menu.corrections': 'Corrections', 'menu.users': 'Users and roles', 'menu.employers': 'Employer registrations', 'menu.policies': 'Policies',
    'queue.overdue': 'Overdue', 'queue.onlyOverdue': 'Overdue only', 'queue.package': 'Package', 'queue.applicant': 'Applicant',
    'queue.due': 'Due', 'queue.submitted': 'Submitted', 'queue.assignee': 'Assignee', 'queue.mine': 'Mine', 'queue.unassigned': 'Unassigned',
    'queue.sort': 'Sort', 'queue.byDeadline': 'By deadline', 'queue.bySubmission': 'By submission', 'queue.open': 'Open', 'queue.more': 'Load more',
    'claim.title': 'Claim', 'claim.applicant': 'Applicant', 'claim.nationalId': 'National ID', 'claim.age': 'Age',
    'claim.education': 'Education', 'claim.hukou': 'Hukou', 'claim.employer': 'Employer', 'claim.contract': 'Contract',
    'claim.si': 'Social insurance months', 'claim.documents': 'Documents', 'claim.trace': 'Rule trace', 'claim.payments': 'Payment schedule',
    'claim.audit': 'Audit trail', 'claim.approve': 'Approve', 'claim.reject': 'Reject', 'claim.return': 'Return for supplement',
    'claim.note': 'Note', 'claim.reason': 'Reason', 'claim.code': 'Reason code', 'claim.confirmApprove': 'Approve this claim? It goes on public notice.',
    'claim.decided': 'Done', 'claim.returnItem': 'Item to supplement (e.g. documents.diploma)', 'claim.take': 'Take',
    'claim.preview': 'Preview', 'claim.outcome': 'Outcome', 'claim.amount': 'Amount', 'claim.dueOn': 'Due on', 'claim.seq': 'No.',
    'tier.user': 'User id', 'tier.tier': 'Tier', 'tier.evidence': 'Evidence', 'tier.propose': 'Propose', 'tier.approve': 'Approve', 'tier.rejectIt': 'Reject',
    'tier.proposedBy': 'Proposed by', 'hr.graduate': 'Graduate', 'hr.since': 'Declared since', 'hr.contractStart': 'Contract start',
    'hr.contractEnd': 'Contract end', 'hr.siStart': 'Social insurance from', 'hr.confirm': 'Confirm', 'hr.reject': 'Reject',
    'hr.confirmSelected': 'Confirm selected', 'hr.end': 'Record leaving', 'hr.endedOn': 'Left on', 'hr.results': 'Results',
    'hr.file': 'Choose a filing (CSV or XLSX)', 'hr.upload': 'Upload', 'hr.row': 'Row', 'hr.field': 'Field', 'hr.problem': 'Problem',
    'fin.create': 'Create batch', 'fin.count': 'Lines', 'fin.total': 'Total', 'fin.maker': 'Maker', 'fin.approve': 'Approve',
    'fin.rejectIt': 'Reject', 'fin.export': 'Download XLSX', 'fin.returns': 'Upload bank return file', 'fin.heldBack': 'Held back',
    'fin.confirmApprove': 'Approve this batch for export?', 'fin.paid': 'Paid', 'fin.reference': 'Bank reference', 'fin.failed': 'Failed',
    // HrClaims, Reports (reconciliation and delivery charts), phone sign-in (SignIn): console-hr.
    'menu.hrClaims': "Employees' claims", 'menu.reports': 'Reconciliation and delivery',
    'hrc.note': "Submitted claims of the people employed here (confirmed or awaiting confirmation) and where each stands; amounts, bank details and review reasons are not shown to employers.",
    'hrc.employment': 'Employment', 'hrc.nextStep': 'Next step', 'hrc.by': 'due', 'hrc.decided': 'Decided', 'hrc.nextPayment': 'Next payment',
    'hrc.allStatuses': 'All statuses', 'hrc.allPackages': 'All packages', 'hrc.empty': 'No claims of your employees',
    'step.submit': 'Submit', 'step.documents_check': 'Document check', 'step.employer_confirmation': 'Employer confirmation', 'step.review': 'Review',
    'step.supplement': 'Supplement', 'step.public_notice': 'Public notice', 'step.appeal': 'May appeal', 'step.payment': 'Payment',
    'step.update_employment': 'Update employment',
    'actor.graduate': 'graduate', 'actor.employer': 'employer', 'actor.office': 'talent office', 'actor.finance': 'finance', 'actor.housing': 'housing',
    'rep.reconciliation': 'Reconciliation', 'rep.balanced': 'Balanced', 'rep.unbalanced': 'Not balanced',
    'rep.equation': 'Approved = paid + still to pay (failed payments included) + suspended',
    'rep.approved': 'Approved', 'rep.paid': 'Paid', 'rep.scheduled': 'Still to pay', 'rep.suspended': 'Suspended',
    'rep.clawbackOwed': 'Clawback owed (of the paid)', 'rep.clawedBack': 'Clawed back (of the paid)',
    'rep.clawbackNote': 'Clawbacks are part of the paid money: owed is confirmed and not yet repaid, clawed back is repaid.',
    'rep.delivery': 'Delivery', 'rep.months': 'months', 'rep.month': 'Month submitted', 'rep.days': 'd',
    'rep.chartNote': 'By month of submission; bars are medians, the tables add the 90th percentile and decided (paid) of submitted.',
    'rep.toDecision': 'Submission to decision (median, days)', 'rep.toMoney': 'Submission to first money (median, days)', 'rep.breaches': 'Claims past a deadline',
    'signin.byEmail': 'Email', 'signin.byPhone': 'Phone', 'signin.phone': 'Phone number', 'signin.phoneHint': '11-digit mobile, or +country code',
    'signin.code': 'SMS code', 'signin.sendCode': 'Send code', 'signin.otherNumber': 'Another number', 'signin.badPhone': 'Enter a valid phone number',
    'housing.unitId': 'Unit id', 'housing.application': 'Application id', 'housing.round': 'Round', 'housing.assign': 'Propose assignment',
    'housing.approve': 'Approve', 'housing.proposals': 'Proposals awaiting approval', 'housing.import': 'Import units', 'housing.draw': 'Draw',
    'housing.close': 'Close', 'housing.open': 'Open round',
    // Housing officer's day: a round's offers and waitlist, leases, objections to allocations
    // (HousingRound, HousingLeases, HousingLease, HousingObjections).
    'menu.housingLeases': 'Leases', 'menu.housingObjections': 'Allocation objections',
    'housing.offers.open': 'Offers and waitlist', 'housing.offers.title': 'Allocations and waitlist', 'housing.offers.all': 'All',
    'housing.offers.rank': 'Rank', 'housing.offers.applicant': 'Applicant', 'housing.offers.score': 'Score', 'housing.offers.unit': 'Unit',
    'housing.offers.offer': 'Offer', 'housing.offers.expires': 'Answer by', 'housing.offers.place': 'Waitlist place', 'housing.offers.lease': 'Lease',
    'housing.offers.placeHelp': 'The waitlist follows the draw\'s order; a returned unit goes to the first waiting applicant whose preferences match it.',
    'housing.offers.source.draw': 'Draw', 'housing.offers.source.waitlist': 'From the waitlist', 'housing.offers.source.manual': 'By hand', 'housing.offers.source.correction': 'Correction',
    'housing.lease.title': 'Lease', 'housing.lease.tenant': 'Tenant', 'housing.lease.unit': 'Unit', 'housing.lease.property': 'Property',
    'housing.lease.term': 'Term', 'housing.lease.months': 'Months so far', 'housing.lease.endsBefore': 'Ending before', 'housing.lease.search': 'Name or ID number',
    'housing.lease.checkedIn': 'Checked in', 'housing.lease.checkedOut': 'Checked out', 'housing.lease.notYet': 'Not yet',
    'housing.lease.checkIn': 'Check in', 'housing.lease.checkOut': 'Check out', 'housing.lease.moveOut': 'Give notice to leave',
    'housing.lease.confirmCheckIn': 'Has the tenant got the keys?', 'housing.lease.confirmCheckOut': 'Has the tenant handed the keys back? The lease ends and the unit is free again.',
    'housing.lease.rent': 'Rent by lease year', 'housing.lease.year': 'Year', 'housing.lease.percent': 'Of market rent', 'housing.lease.monthly': 'Monthly rent',
    'housing.lease.renewal': 'Renewal', 'housing.lease.renewalByTenant': 'The tenant renews in the app: from two months before the end, 12 months at a time, up to 36 months in all.',
    'housing.lease.moveOutReason': 'Reason', 'housing.lease.moveOutBy': 'Move out by', 'housing.lease.note': 'Note (optional)',
    'housing.lease.reason.employment_ended': 'Employment in the city ended', 'housing.lease.reason.home_bought': 'Bought a home in the city', 'housing.lease.reason.sublet': 'Sublet',
    'housing.lease.reason.arrears': 'Rent arrears', 'housing.lease.reason.term_ended': 'Term ended', 'housing.lease.reason.other': 'Other',
    'housing.objection.entry': 'Allocation', 'housing.objection.round': 'Round', 'housing.objection.reasons': 'Reasons', 'housing.objection.filed': 'Filed',
    'housing.objection.resolve': 'Decide', 'housing.objection.resolution': 'Resolution (the objector and the applicant read it)', 'housing.objection.uphold': 'Uphold',
    'housing.objection.dismiss': 'Dismiss', 'housing.objection.resolvedAt': 'Decided',
    'housing.objection.upholdHelp': 'Upheld, the allocation leaves the notice and the applicant is told; two officers correct it through a correction.',
    // Housing properties (HousingProperties).
    'menu.properties': 'Properties', 'property.new': 'Add property', 'property.edit': 'Edit', 'property.save': 'Save',
    'property.name': 'Property name', 'property.district': 'District', 'property.address': 'Address', 'property.created': 'Added',
    'property.noDelete': 'A property cannot be removed once added (units, rounds and leases refer to it); its name and address can be edited.',
    'property.confirmCreate': 'Add the property "{name}"? It cannot be removed afterwards.',
    'admin.userId': 'User id', 'admin.lookup': 'Look up', 'admin.grant': 'Grant role', 'admin.revoke': 'Revoke',
    'admin.employerId': 'Employer id (for HR)', 'admin.approve': 'Approve', 'admin.rejectIt': 'Reject',
    'admin.creditCode': 'Unified social credit code', 'admin.contact': 'Contact',
    // Review office: objections (ReviewObjections), clawbacks (ReviewClawbacks, ReviewClaim); admin: users, access log, policy versions.
    'menu.objections': 'Objections', 'menu.reviewClawbacks': 'Clawback review', 'menu.accessLog': 'Access log',
    'objection.reasons': 'Reasons', 'objection.filed': 'Filed', 'objection.notice': 'On notice', 'objection.resolution': 'Resolution',
    'objection.uphold': 'Uphold', 'objection.dismiss': 'Dismiss',
    'objection.upholdHelp': 'Upheld, the claim goes back to review and leaves the notice; the applicant and the objector read your resolution.',
    'objection.dismissHelp': 'Dismissed, the notice goes on; the objector reads your resolution.',
    'clawback.claim': 'Claim', 'clawback.amount': 'Owed / paid', 'clawback.served': 'Months served / required', 'clawback.firstPaid': 'First paid',
    'clawback.proposedBy': 'Proposed by', 'clawback.byJob': 'System', 'clawback.byReviewer': 'Reviewer',
    'clawback.confirm': 'Confirm', 'clawback.cancel': 'Cancel clawback', 'clawback.propose': 'Propose clawback',
    'clawback.confirmHelp': 'Confirmed, the graduate is told with this reason and a paying claim is suspended.',
    'clawback.cancelHelp': 'A cancelled clawback is not proposed again: say why (a new job in the city, say).',
    'clawback.proposeHelp': 'The amount follows what was paid and the months short of the service period; the leaving date defaults to the one HR recorded. The graduate is told.',
    'users.q': 'Name, national ID, phone or email', 'users.qHelp': 'Start of a name, or a whole ID number, phone or email', 'users.phone': 'Phone',
    'users.roles': 'Staff roles', 'users.created': 'Registered', 'users.lastSeen': 'Last seen', 'users.none': 'No user found',
    'users.logged': 'Personal data is masked in the results, and every view is written to the access log.', 'users.seenBy': 'Who viewed their data',
    'access.at': 'When', 'access.actor': 'Viewed by', 'access.subject': 'Whose data (user id)', 'access.what': 'What', 'access.object': 'Object',
    'access.request': 'Request id',
    'policy.effective': 'In effect', 'policy.openEnded': 'open-ended', 'policy.origin': 'Origin', 'policy.builtIn': 'Built in',
    'policy.inForce': 'In force', 'policy.clause': 'Clause', 'policy.value': 'Content', 'policy.yaml': 'YAML source',
    'policy.startNext': 'Start the next version from this one', 'policy.publish': 'Publish a new version',
    'policy.part.parameter': 'Parameter', 'policy.part.rule': 'Rule', 'policy.part.benefit': 'Benefit', 'policy.part.documents': 'Documents',
    done: 'Done', cancel: 'Cancel', confirm: 'OK', failed: 'Failed',
    'a11y.selectAll': 'Select all', 'a11y.selectRow': 'Select',
    // The employer admin's people and invitations (EmployerStaff).
    'menu.staff': 'People', 'staff.members': 'Who acts for the employer', 'staff.invitations': 'Invitations', 'staff.invite': 'Invite',
    'staff.contact': 'Phone or email', 'staff.contactHelp': "The invitee's mobile number or email", 'staff.code': 'Code', 'staff.expires': 'Expires',
    'staff.revoke': 'Revoke', 'staff.remove': 'Remove', 'staff.role': 'Role',
    'labels.version': 'Version', 'labels.bank': 'Bank', 'labels.account': 'Account', 'labels.claim': 'Claim', 'labels.format': 'Format',
    'labels.commitment': 'Commitment / pool hash', 'labels.kind': 'Kind', 'labels.layout': 'Layout', 'labels.floor': 'Floor', 'labels.rent': 'Market rent',
    // HR declarations searched and sorted on the server (HrEmployments).
    'hr.search': 'Name or ID number',
  },
} as const

export type MessageKey = keyof (typeof messages)['zh-CN']

const stored = localStorage.getItem('anju.locale')
export const locale = ref<Locale>(stored === 'en' ? 'en' : 'zh-CN')

export function setLocale(l: Locale) {
  locale.value = l
  localStorage.setItem('anju.locale', l)
  document.documentElement.lang = l
}

export function t(key: MessageKey | string): string {
  const m = messages[locale.value] as Record<string, string>
  return m[key] ?? (messages['zh-CN'] as Record<string, string>)[key] ?? key
}

export const elementLocale = computed(() => (locale.value === 'en' ? en : zhCn))

// In the user's language, from a {zh, en} pair of the contract.
export function loc(text: { zh: string; en: string } | undefined): string {
  if (!text) return ''
  return locale.value === 'en' ? text.en : text.zh
}

export const fmt = {
  money: (fen?: number | null) => f.money(fen, locale.value),
  date: (v?: string | null) => f.date(v, locale.value),
  dateTime: (v?: string | null) => f.dateTime(v, locale.value),
}
