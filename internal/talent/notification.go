package talent

import (
	"strings"
	"time"
)

// Device is a phone that receives push notifications.
type Device struct {
	Token      string
	UserID     string
	Platform   string // ios | android | harmony
	AppVersion string
	LastSeenAt time.Time
}

// Notification is one entry of a user's in-app inbox, the reliable channel;
// push is a best-effort copy of it.
type Notification struct {
	ID        string
	UserID    string
	EventID   string // unique per user: a redelivered event adds no second entry
	Template  string
	Title     string
	Body      string
	Data      map[string]string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NotifyRequest asks for one notification: a task every module records
// with the change a person should hear about (notify:send). The inbox entry
// is written once per user and EventID, however often the task runs.
type NotifyRequest struct {
	UserID   string            `json:"userId"`
	EventID  string            `json:"eventId"`
	Template string            `json:"template"`
	Params   map[string]string `json:"params,omitempty"`
	// Texts are parameters in both languages, chosen by the reader's locale:
	// how a module puts its own words (a package's name, a status) in a text.
	Texts map[string]Text `json:"texts,omitempty"`
	// Link is the app's deep link, e.g. "anju://documents/…".
	Link string `json:"link,omitempty"`
}

// Kind implements Task.
func (NotifyRequest) Kind() string { return "notify:send" }

// message is a localized title and body with {name} placeholders.
type message struct{ Title, Body string }

// templates are the notification texts by template and locale.
var templates = map[string]map[Locale]message{
	"document.accepted": {
		LocaleZH: {"材料审核通过", "您上传的{kind}已通过检查。"},
		LocaleEN: {"Document accepted", "Your {kind} passed the checks."},
	},
	"employment.declared": {
		LocaleZH: {"新的在职确认申请", "{name} 申报在贵单位工作，请确认劳动合同和社保信息。"},
		LocaleEN: {"New employment to confirm", "{name} says they work for you. Please confirm the contract and social insurance."},
	},
	"employment.confirmed": {
		LocaleZH: {"单位已确认您的在职信息", "用人单位已确认您的劳动合同和社保信息。"},
		LocaleEN: {"Employment confirmed", "Your employer confirmed your contract and social insurance."},
	},
	"employment.rejected": {
		LocaleZH: {"单位未确认您的在职信息", "用人单位未确认您的在职申报：{reason}"},
		LocaleEN: {"Employment not confirmed", "Your employer did not confirm your employment: {reason}"},
	},
	"claim.status": {
		LocaleZH: {"申请进度更新", "您的{package}申请：{status}。"},
		LocaleEN: {"Claim update", "Your {package} claim: {status}."},
	},
	"claim.overdue": {
		LocaleZH: {"待办已超期", "{package}申请（{stage}环节）已超过办理时限，请尽快处理。"},
		LocaleEN: {"Overdue", "A {package} claim is past its deadline at the {stage} stage. Please act on it."},
	},
	"payment.paid": {
		LocaleZH: {"补贴已发放", "{amount} 已汇入您登记的银行账户。"},
		LocaleEN: {"Allowance paid", "{amount} was paid into your bank account."},
	},
	"payment.failed": {
		LocaleZH: {"补贴发放失败", "银行未能将 {amount} 汇入您的账户（{reason}）。请核对或更正您登记的银行账户，更正后将重新发放。"},
		LocaleEN: {"Payment failed", "The bank could not pay {amount} into your account ({reason}). Please check or correct your bank details; it is paid again once they are corrected."},
	},
	"bank_account.changed": {
		LocaleZH: {"收款账户已变更", "您的收款银行账户已变更为尾号 {last} 的账户。为保障资金安全，发往新账户的补贴将按政策暂缓几天发放。如非本人操作，请立即联系人才办。"},
		LocaleEN: {"Bank account changed", "Your bank account for allowances was changed to the one ending {last}. To keep your money safe, payments to a new account are held for a few days, as the policy says. If you did not make this change, contact the talent office at once."},
	},
	"batch.submitted": {
		LocaleZH: {"待审核的付款批次", "新的付款批次（{count} 笔，共 {amount}）等待您复核后才能报送银行。"},
		LocaleEN: {"A payment batch to approve", "A new payment batch ({count} payments, {amount} in all) waits for your approval before it can go to the bank."},
	},
	"batch.approved": {
		LocaleZH: {"付款批次已复核通过", "您制作的付款批次（{count} 笔，共 {amount}）已复核通过，可以导出报送银行。"},
		LocaleEN: {"Payment batch approved", "Your payment batch ({count} payments, {amount} in all) was approved and can be exported for the bank."},
	},
	"batch.rejected": {
		LocaleZH: {"付款批次已退回", "付款批次（{count} 笔，共 {amount}）未通过复核：{reason}。其中的款项已回到待付状态。"},
		LocaleEN: {"Payment batch rejected", "The payment batch ({count} payments, {amount} in all) was rejected: {reason}. Its payments are due again."},
	},
	"clawback.proposed": {
		LocaleZH: {"待确认的补贴追回", "一位{package}领取人已于 {left} 离职，未满服务期，系统拟追回 {amount}。请核实后确认或取消。"},
		LocaleEN: {"A clawback to decide", "A {package} recipient left their job on {left}, before the service period ended; {amount} is proposed for clawback. Please check it and confirm or cancel."},
	},
	"clawback.raised": {
		LocaleZH: {"补贴退回通知", "您于 {left} 离开本市就业，未满{package}的服务期，需按政策退回 {amount}（{reason}）。请按人才办的指引办理退款。"},
		LocaleEN: {"Allowance to repay", "You left the city's employment on {left}, before the {package} service period ended, and must repay {amount} ({reason}). Please follow the talent office's instructions to repay."},
	},
	"clawback.repaid": {
		LocaleZH: {"退回款项已收到", "您退回的{package} {amount} 已收到，追回事项已办结。"},
		LocaleEN: {"Repayment received", "Your repayment of {amount} of the {package} was received; the clawback is closed."},
	},
	"payment.held": {
		LocaleZH: {"补贴暂缓发放", "复核发现您当前的就业或社保情况不符合发放条件，请在 30 天内更新信息，否则将暂停发放。"},
		LocaleEN: {"Payment on hold", "Your current employment or social insurance does not meet the conditions. Update it within 30 days or payments will be suspended."},
	},
	"application.eligible": {
		LocaleZH: {"人才公寓申请已受理", "您已进入「{round}」的摇号名单。"},
		LocaleEN: {"Apartment application accepted", "You are in the draw of {round}."},
	},
	"application.ineligible": {
		LocaleZH: {"人才公寓申请未通过资格审核", "您的「{round}」申请不符合条件，原因见申请详情。"},
		LocaleEN: {"Apartment application not eligible", "Your application to {round} is not eligible; the reasons are in the application."},
	},
	"draw.allocated": {
		LocaleZH: {"人才公寓摇号结果", "「{round}」摇号结果已公布：您排名第 {rank} 位，已分配房源。"},
		LocaleEN: {"Apartment draw result", "The draw of {round} is out: you are number {rank} and were allocated a unit."},
	},
	"draw.waitlisted": {
		LocaleZH: {"人才公寓摇号结果", "「{round}」摇号结果已公布：您排名第 {rank} 位，进入候补名单。"},
		LocaleEN: {"Apartment draw result", "The draw of {round} is out: you are number {rank} and on the waitlist."},
	},
	"offer.made": {
		LocaleZH: {"人才公寓房源分配通知", "已为您分配一套人才公寓，请在 {expires} 前确认接受或放弃。"},
		LocaleEN: {"A talent apartment for you", "A talent apartment was offered to you. Accept or decline it before {expires}."},
	},
	"offer.expiring": {
		LocaleZH: {"房源确认即将截止", "您的人才公寓房源将于 {expires} 过期，请尽快确认。"},
		LocaleEN: {"Your offer expires soon", "Your apartment offer expires at {expires}. Please answer it."},
	},
	"offer.expired": {
		LocaleZH: {"房源确认已过期", "您未在期限内确认，房源已转给候补申请人。"},
		LocaleEN: {"Offer expired", "The offer lapsed and the unit went to the waitlist."},
	},
	"lease.created": {
		LocaleZH: {"租赁合同已生成", "租期自 {start} 起 12 个月，首年月租金 {rent}。"},
		LocaleEN: {"Your lease", "Your 12-month lease starts on {start}; the first year's rent is {rent} a month."},
	},
	"employment.ended": {
		LocaleZH: {"单位已登记您离职", "用人单位登记您已于 {date} 离职。补贴停发；如在本市重新就业，请更新就业信息。"},
		LocaleEN: {"Employment ended", "Your employer recorded that you left on {date}. Allowances stop; if you work in the city again, update your employment."},
	},
	"lease.renewal_open": {
		LocaleZH: {"人才公寓可以续租了", "您的租期至 {end} 结束，现在可以申请续租。"},
		LocaleEN: {"You can renew your lease", "Your lease ends on {end}; you can renew it now."},
	},
	"lease.renewed": {
		LocaleZH: {"续租成功", "租期延长至 {end}，月租金 {rent}。"},
		LocaleEN: {"Lease renewed", "Your lease now ends on {end}; the rent is {rent} a month."},
	},
	"lease.move_out": {
		LocaleZH: {"人才公寓退租通知", "请于 {by} 前办理退租，详情见租约。"},
		LocaleEN: {"Notice to move out", "Please move out by {by}; the lease says why."},
	},
	"lease.checked_in": {
		LocaleZH: {"已办理入住", "您已领取人才公寓钥匙，租期至 {end}。"},
		LocaleEN: {"Checked in", "You have the keys to your talent apartment; the lease runs to {end}."},
	},
	"lease.ended": {
		LocaleZH: {"退租已办结", "您已交还钥匙，人才公寓租约已结束。"},
		LocaleEN: {"Lease ended", "You handed the keys back and your lease has ended."},
	},
	"claim.assigned": {
		LocaleZH: {"新的审核任务", "一件{package}申请已分配给您审核。"},
		LocaleEN: {"A claim for you to review", "A {package} claim was assigned to you."},
	},
	"claim.objected": {
		LocaleZH: {"您的申请在公示期间收到异议", "您的{package}申请在公示期间收到异议，核实前暂缓发放。"},
		LocaleEN: {"An objection to your approval", "Your {package} claim received an objection during its public notice; payment waits until it is decided."},
	},
	"claim.reopened": {
		LocaleZH: {"您的申请将重新审核", "您的{package}申请在公示期间收到的异议经核实成立，将重新审核：{reason}"},
		LocaleEN: {"Your claim is reviewed again", "An objection to your {package} claim was upheld and it is reviewed again: {reason}"},
	},
	"objection.filed": {
		LocaleZH: {"公示异议待处理", "{package}的公示收到一条异议，请核实处理。"},
		LocaleEN: {"An objection to decide", "The public notice of {package} received an objection. Please decide it."},
	},
	"objection.resolved": {
		LocaleZH: {"您的异议已处理", "处理结果：{outcome}。{resolution}"},
		LocaleEN: {"Your objection was decided", "Outcome: {outcome}. {resolution}"},
	},
	"allocation.objection_upheld": {
		LocaleZH: {"摇号公示异议成立", "您在「{round}」中的分配收到的异议经核实成立，住房保障部门将依程序更正。"},
		LocaleEN: {"An objection to your allocation was upheld", "An objection to your allocation in {round} was upheld; the housing office will correct it through its procedure."},
	},
	"employer.registration_filed": {
		LocaleZH: {"新的用人单位注册申请", "「{name}」申请注册为用人单位，请审核。"},
		LocaleEN: {"An employer asks to register", "{name} asks to register as an employer. Please review it."},
	},
	"employer.registration_approved": {
		LocaleZH: {"单位注册已通过", "「{name}」已通过审核，您是该单位的管理员，可以邀请人事专员。"},
		LocaleEN: {"Employer registration approved", "{name} is approved and you are its admin: you can invite its HR users now."},
	},
	"employer.registration_rejected": {
		LocaleZH: {"单位注册未通过", "「{name}」的注册申请未通过：{reason}"},
		LocaleEN: {"Employer registration rejected", "The registration of {name} was rejected: {reason}"},
	},
	"invitation.accepted": {
		LocaleZH: {"邀请已接受", "您为「{employer}」发出的{role}邀请已被接受。"},
		LocaleEN: {"Invitation accepted", "Your invitation to act as {role} for {employer} was accepted."},
	},
	"employer.hr_removed": {
		LocaleZH: {"人事权限已撤销", "您在「{employer}」的人事专员权限已被单位管理员撤销。"},
		LocaleEN: {"HR access removed", "The admin of {employer} removed your HR access."},
	},
	"employer.named": {
		LocaleZH: {"毕业生申报了未注册单位", "有毕业生申报的用人单位「{name}」尚未注册。请联系该单位，把邀请码交给其联系人。"},
		LocaleEN: {"A graduate named an unregistered employer", "A graduate works for {name}, which is not registered. Please contact it and pass the invitation code to its contact."},
	},
	"employer.filed": {
		LocaleZH: {"单位已为您备案", "「{employer}」已将您登记为新入职员工，在职信息已确认。一份预填的安家补贴申请等您补充材料后提交。"},
		LocaleEN: {"Your employer filed you", "{employer} filed you as a new hire and your employment is confirmed. A prefilled relocation claim waits for your documents."},
	},
	"identity.corrected": {
		LocaleZH: {"身份证号已更正", "人才办已更正您登记的身份证号：{reason}"},
		LocaleEN: {"Your ID number was corrected", "The talent office corrected the national ID number on your profile: {reason}"},
	},
	"talent.tier_certified": {
		LocaleZH: {"人才层次已认定", "您的人才层次已认定为 {tier} 类。"},
		LocaleEN: {"Talent tier certified", "Your talent tier is certified as {tier}."},
	},
	"document.rejected": {
		LocaleZH: {"材料未通过检查", "您上传的{kind}未通过检查（{reason}），请重新上传。"},
		LocaleEN: {"Document rejected", "Your {kind} did not pass the checks ({reason}). Please upload it again."},
	},
}

// labels localize codes that appear inside notification texts.
var labels = map[string]map[Locale]string{
	"hr":                      {LocaleZH: "人事专员", LocaleEN: "HR"},
	"employer_admin":          {LocaleZH: "单位管理员", LocaleEN: "employer admin"},
	"id_card":                 {LocaleZH: "身份证", LocaleEN: "ID card"},
	"diploma":                 {LocaleZH: "毕业证", LocaleEN: "diploma"},
	"degree_certificate":      {LocaleZH: "学位证", LocaleEN: "degree certificate"},
	"chsi_record":             {LocaleZH: "学历电子注册备案表", LocaleEN: "CHSI registration record"},
	"labour_contract":         {LocaleZH: "劳动合同", LocaleEN: "labour contract"},
	"social_insurance_record": {LocaleZH: "社保缴纳记录", LocaleEN: "social insurance record"},
	"rental_contract":         {LocaleZH: "租房合同", LocaleEN: "rental contract"},
	"bank_card":               {LocaleZH: "银行卡", LocaleEN: "bank card"},
	RejectNotUploaded:         {LocaleZH: "未收到文件", LocaleEN: "no file was received"},
	RejectSizeMismatch:        {LocaleZH: "文件大小与申报不符", LocaleEN: "the size differs from the declared size"},
	RejectChecksumMismatch:    {LocaleZH: "文件校验值不符", LocaleEN: "the checksum differs"},
	RejectTypeNotAllowed:      {LocaleZH: "文件类型不受支持", LocaleEN: "the file type is not accepted"},
	RejectTypeMismatch:        {LocaleZH: "文件类型与申报不符", LocaleEN: "the file type differs from the declared type"},
}

// Label returns the localized name of a code that appears in texts (a
// document kind, a package, a status), or the code itself when it has none.
func Label(code string, l Locale) string {
	if t, ok := labels[code][l]; ok {
		return t
	}
	return code
}

// Render localizes a notification template; parameters that name a known
// code are themselves localized, and texts are taken in the locale. An unknown template is a programming error,
// reported as KindInvalid so that its task is not retried.
func Render(template string, locale Locale, params map[string]string, texts map[string]Text) (title, body string, err error) {
	byLocale, ok := templates[template]
	if !ok {
		return "", "", Errorf(KindInvalid, CodeTemplateUnknown, "unknown notification template %q", template)
	}
	m, ok := byLocale[locale]
	if !ok {
		m = byLocale[LocaleZH]
	}
	pairs := make([]string, 0, 2*(len(params)+len(texts)))
	for k, v := range params {
		if l, ok := labels[v][locale]; ok {
			v = l
		}
		pairs = append(pairs, "{"+k+"}", v)
	}
	for k, v := range texts {
		pairs = append(pairs, "{"+k+"}", v.In(locale))
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace(m.Title), r.Replace(m.Body), nil
}
