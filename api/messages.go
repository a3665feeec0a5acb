package api

import (
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/talent/publicity"
	"github.com/anju-city/anju/workers"
)

// text is one message in both languages.
type text struct{ zh, en string }

func (t text) in(l talent.Locale) string {
	if l == talent.LocaleEN {
		return t.en
	}
	return t.zh
}

// titles are problem titles by kind.
var titles = map[talent.Kind]text{
	talent.KindMalformed:       {"请求格式有误", "The request is malformed"},
	talent.KindInvalid:         {"请求内容未通过校验", "The request failed validation"},
	talent.KindUnauthenticated: {"请先登录", "Sign-in required"},
	talent.KindForbidden:       {"无权执行此操作", "Not allowed"},
	talent.KindNotFound:        {"未找到", "Not found"},
	talent.KindConflict:        {"与当前状态冲突", "Conflict with the current state"},
	talent.KindIneligible:      {"不符合条件", "Not eligible"},
	talent.KindTooLarge:        {"请求体过大", "The request is too large"},
	talent.KindRateLimited:     {"请求过于频繁", "Too many requests"},
	talent.KindUnavailable:     {"服务暂时不可用，请稍后重试", "Temporarily unavailable; please retry"},
	talent.KindInternal:        {"服务器内部错误", "Internal server error"},
}

func title(k talent.Kind, l talent.Locale) string { return titles[k].in(l) }

// messages explain every code, as a problem's detail or a field's message.
// TestEveryCodeHasMessages fails when a declared code has none.
var messages = map[talent.Code]text{
	// The HTTP layer.
	CodeRequestInvalid:         {"请求不符合接口约定，请检查各字段。", "The request does not match the API contract; see the fields."},
	CodeBodyMalformed:          {"请求体不是有效的 JSON。", "The request body is not valid JSON."},
	CodeBodyTooLarge:           {"请求体过大。", "The request body is too large."},
	CodeBodyEncoding:           {"不接受压缩的请求体，请去掉 Content-Encoding 后重试。", "Compressed request bodies are not accepted; send it without Content-Encoding."},
	CodeRouteNotFound:          {"接口不存在。", "No such endpoint."},
	CodeParameterInvalid:       {"参数无效。", "Invalid parameter."},
	CodeTypeMismatch:           {"类型不正确。", "Wrong type."},
	CodeEnum:                   {"取值不在允许范围内。", "Not one of the allowed values."},
	CodePattern:                {"格式不正确。", "Wrong format."},
	CodeFormat:                 {"格式不正确。", "Wrong format."},
	CodeSchema:                 {"不符合接口约定。", "Does not match the contract."},
	CodeRateLimited:            {"请求过于频繁，请稍后再试。", "Too many requests; try again later."},
	CodeIdempotencyKeyReused:   {"该幂等键已用于不同的请求。", "This Idempotency-Key was used for a different request."},
	CodeIdempotencyInProgress:  {"相同请求正在处理中，请稍后重试。", "The same request is still being processed; retry shortly."},
	workers.CodePayloadInvalid: {"任务参数无效。", "The task's arguments are invalid."},

	// The kernel: general.
	talent.CodeInternal:             {"请稍后重试；如问题持续，请提供请求编号。", "Please retry; if it persists, quote the request id."},
	talent.CodeNotFound:             {"未找到。", "Not found."},
	talent.CodeValidationFailed:     {"部分字段未通过校验。", "Some fields are invalid."},
	talent.CodeRoleRequired:         {"当前账号没有执行此操作的角色。", "Your account does not have a role that allows this."},
	talent.CodeRetry:                {"请重试。", "Please retry."},
	talent.CodeDuplicate:            {"记录已存在。", "The record already exists."},
	talent.CodeReferenceUnknown:     {"引用的记录不存在。", "A referenced record does not exist."},
	talent.CodeValueRejected:        {"取值不被接受。", "A value was rejected."},
	talent.CodeDatabaseDown:         {"数据库暂时不可用。", "The database is temporarily unavailable."},
	talent.CodeCursorInvalid:        {"分页游标无效。", "The cursor is invalid."},
	talent.CodeUserNotFound:         {"用户不存在。", "No such user."},
	talent.CodeProfileNotFound:      {"尚未填写个人资料。", "No profile yet."},
	talent.CodeDocumentNotFound:     {"材料不存在。", "No such document."},
	talent.CodeEmployerNotFound:     {"用人单位不存在。", "No such employer."},
	talent.CodeEmploymentNotFound:   {"在职申报不存在。", "No such employment declaration."},
	talent.CodeNotificationNotFound: {"消息不存在。", "No such notification."},
	talent.CodeOwnBenefit:           {"工作人员不能办理有利于自己的事项。", "No staff member may act on something that benefits them."},
	talent.CodeSecondApprover:       {"此事须由另一位工作人员批准。", "This needs a second officer's approval."},
	talent.CodeEntryNotFound:        {"公示条目不存在。", "No such entry on the public notice."},
	talent.CodeObjectionNotFound:    {"异议不存在。", "No such objection."},
	talent.CodeObjectionResolved:    {"该异议已处理。", "The objection has already been decided."},
	talent.CodeNoticeClosed:         {"公示期已结束，不能再提出异议。", "The notice period is over; objections are closed."},
	talent.CodeOwnDecision:          {"异议须由作出原决定以外的审核人员处理。", "An objection is decided by someone other than whoever made the decision."},

	// The kernel: field problems.
	talent.CodeRequired:       {"必填。", "Required."},
	talent.CodeTextLength:     {"长度不符合要求。", "Length out of range."},
	talent.CodeTextTooLong:    {"内容过长。", "Too long."},
	talent.CodeTooManyItems:   {"条目过多。", "Too many items."},
	talent.CodeRange:          {"数值超出范围。", "Out of range."},
	talent.CodeLength:         {"长度不符合要求。", "Length out of range."},
	talent.CodeDateOutOfRange: {"日期超出合理范围。", "The date is out of range."},
	talent.CodeNumberFormat:   {"须为数字。", "Must be a number."},
	talent.CodeUnknownField:   {"未知字段。", "Unknown field."},
	talent.CodeOutOfRange:     {"超出允许的范围。", "Out of the allowed range."},
	talent.CodeNotDate:        {"须为 YYYY-MM-DD 格式的日期。", "Must be a date written YYYY-MM-DD."},

	// The kernel: national ID, credit code, profile.
	talent.CodeNationalIDLength:    {"身份证号码须为 18 位。", "The national ID number must have 18 characters."},
	talent.CodeNationalIDFormat:    {"身份证号码须为 17 位数字加 1 位数字或 X。", "The national ID number must be 17 digits and a digit or X."},
	talent.CodeNationalIDChecksum:  {"身份证号码校验位不正确。", "The check digit of the national ID number is wrong."},
	talent.CodeNationalIDRegion:    {"身份证号码的地区码无效。", "The region code of the national ID number is invalid."},
	talent.CodeNationalIDBirthDate: {"身份证号码中的出生日期无效。", "The birth date in the national ID number is invalid."},
	talent.CodeCreditCodeLength:    {"统一社会信用代码须为 18 位。", "The unified social credit code must have 18 characters."},
	talent.CodeCreditCodeFormat:    {"统一社会信用代码含有无效字符。", "The unified social credit code has invalid characters."},
	talent.CodeCreditCodeChecksum:  {"统一社会信用代码校验位不正确。", "The check character of the unified social credit code is wrong."},
	talent.CodeNameLength:          {"姓名须为 1 到 64 个字符。", "The name must be 1 to 64 characters."},
	talent.CodePhoneFormat:         {"手机号码格式不正确。", "Not a valid mobile number."},
	talent.CodeLocaleUnsupported:   {"只支持 zh-CN 和 en。", "Only zh-CN and en are supported."},
	talent.CodeEducationLevel:      {"学历层次无效。", "Unknown education level."},
	talent.CodeBankAccountFormat:   {"银行账号须为 12 到 30 位数字。", "The bank account number must be 12 to 30 digits."},

	// The kernel: documents, employment, sign-in, storage, push.
	talent.CodeDocumentKind:           {"材料类型不受支持。", "Unsupported document kind."},
	talent.CodeContentTypeNotAllowed:  {"只接受 PDF、JPEG、PNG、HEIC、WebP 文件。", "Only PDF, JPEG, PNG, HEIC and WebP files are accepted."},
	talent.CodeSizeOutOfRange:         {"文件大小须在 1 字节到 10 MiB 之间。", "The file must be between 1 byte and 10 MiB."},
	talent.CodeSHA256Format:           {"须为 64 位十六进制 SHA-256。", "Must be a 64-character hex SHA-256."},
	talent.CodeOwnEmployment:          {"不能确认本人的在职申报。", "Nobody confirms their own employment."},
	talent.CodeEmploymentDecided:      {"该在职申报已处理。", "This employment declaration was already answered."},
	talent.CodeEmploymentNotConfirmed: {"只有已确认的在职记录才能登记离职。", "Only a confirmed employment can end."},
	talent.CodeContractEndBeforeStart: {"合同结束日期须晚于开始日期。", "The contract must end after it starts."},
	talent.CodeTokenMissing:           {"缺少登录凭证。", "No sign-in token was sent."},
	talent.CodeTokenInvalid:           {"登录凭证无效。", "The sign-in token is invalid."},
	talent.CodeTokenExpired:           {"登录已过期，请重新登录。", "The sign-in token has expired; sign in again."},
	talent.CodeTokenRevoked:           {"登录已失效，请重新登录。", "The sign-in token was revoked; sign in again."},
	talent.CodeUserDisabled:           {"账号已停用。", "The account is disabled."},
	talent.CodePhoneSignInRequired:    {"请使用手机号验证码登录。", "Sign in with your phone number."},
	talent.CodeSecondFactorRequired:   {"工作人员账号须使用第二重验证登录。", "Staff accounts must sign in with a second factor."},
	talent.CodeIdentityUnavailable:    {"登录服务暂时不可用。", "The sign-in service is temporarily unavailable."},
	talent.CodeObjectNotFound:         {"文件不存在。", "The file does not exist."},
	talent.CodeObjectStoreUnavailable: {"文件存储暂时不可用。", "File storage is temporarily unavailable."},
	talent.CodeObjectStoreFailed:      {"文件存储出错。", "File storage failed."},
	talent.CodeTemplateUnknown:        {"消息模板不存在。", "Unknown notification template."},
	talent.CodePushUnregistered:       {"推送令牌已失效。", "The push token is no longer registered."},
	talent.CodePushRejected:           {"推送被拒绝。", "The push was rejected."},
	talent.CodePushUnavailable:        {"推送服务暂时不可用。", "Push is temporarily unavailable."},
	talent.CodeDeviceTokenFormat:      {"推送令牌格式不正确。", "Invalid push token."},
	talent.CodeDeviceTokenTaken:       {"该设备已登记在另一个账号下，请先在该账号中退出登录。", "This device is registered to another account; sign out of that account on it first."},
	talent.CodePlatformUnsupported:    {"平台须为 ios、android 或 harmony。", "The platform must be ios, android or harmony."},

	// Accounts.
	account.CodeNationalIDTaken:       {"该身份证号码已绑定其他账号，每人只能注册一个账号。", "This national ID number belongs to another account; one account per person."},
	account.CodeCreditCodeTaken:       {"统一社会信用代码已存在。", "The unified social credit code already exists."},
	account.CodeEmployerNotRegistered: {"该用人单位尚未登记，请联系单位人事。", "This employer is not registered yet; ask its HR office."},
	account.CodeEmployerUnknown:       {"用人单位不存在。", "No such employer."},
	account.CodeRoleByInvitation:      {"人事和单位管理员角色由用人单位邀请产生，不能直接授予。", "The hr and employer_admin roles come from the employer's invitation; they are not granted directly."},
	account.CodeEmployerNotAllowed:    {"只有人事角色可以指定用人单位。", "Only the hr role takes an employer."},
	account.CodeRoleUnknown:           {"角色不存在或不可授予。", "Unknown or non-grantable role."},
	account.CodeLastAdmin:             {"不能撤销自己的管理员角色。", "You cannot revoke your own admin role."},
	account.CodeTalentTier:            {"人才类别须为 A 到 E。", "The talent tier must be A to E."},
	account.CodeTierPending:           {"该毕业生已有一份待批准的人才层次认定。", "A tier proposal for this graduate waits for approval already."},
	account.CodeTierDecided:           {"该人才层次认定已处理。", "The tier proposal has been decided already."},
	account.CodeTierNotFound:          {"人才层次认定不存在。", "No such tier proposal."},
	account.CodeIdentityFrozen:        {"已有申请、住房或备案依赖此身份证号，不能自行修改；如有错误请联系人才办更正。", "Claims, housing or a filing depend on this ID number, so it cannot be changed here; ask the talent office to correct it."},
	account.CodeRecentSignInRequired:  {"为保障资金安全，更改收款账户前请重新登录（5 分钟内登录过才能更改）。", "To keep your money safe, sign in again before changing your bank account (a sign-in within the last 5 minutes is needed)."},

	// Policy catalogue and packages.
	catalog.CodePolicyMissing:       {"该政策版本不存在。", "That policy version is gone."},
	catalog.CodePolicyUnreadable:    {"已发布的政策版本无法读取。", "A published policy version can no longer be read."},
	policy.CodePackageClosed:        {"该政策目前不受理申请。", "This package is not open for applications."},
	policy.CodePolicyMalformed:      {"政策文件不是有效的 YAML。", "The policy package is not valid YAML."},
	policy.CodePolicyVersionExists:  {"该政策版本已发布；请发布新版本。", "This version is published already; publish a new version."},
	policy.CodePolicyVersionNotNext: {"版本号须为下一个版本。", "The version must be the next number."},
	policy.CodeVersionNotNext:       {"版本号须为下一个版本。", "Must be the next version number."},
	policy.CodeBadName:              {"名称只能使用小写字母、数字和下划线。", "Names are lower_case_with_underscores."},
	policy.CodeBeforeStart:          {"不能早于生效日期。", "Must not be before the start."},
	policy.CodeEmpty:                {"不能为空。", "Must not be empty."},
	policy.CodeNotAllowed:           {"此处不允许该项。", "Not allowed here."},
	policy.CodeNotBoolean:           {"须为 true 或 false。", "Must be true or false."},
	policy.CodeNotInteger:           {"须为整数。", "Must be a whole number."},
	policy.CodeNotList:              {"须为列表。", "Must be a list."},
	policy.CodeNotObject:            {"须为映射（键值对）。", "Must be a mapping."},
	policy.CodeNotString:            {"须为文本。", "Must be a string."},
	policy.CodeParameterUnknown:     {"引用了不存在的政策参数。", "Refers to a parameter the package does not define."},
	policy.CodePercentTotal:         {"各期比例之和须为 100%。", "The instalments' percents must add up to 100."},
	policy.CodeRuleMissing:          {"缺少对应的规则。", "A rule that cites this is missing."},
	policy.CodeSelf:                 {"政策不能与自身互斥。", "A package cannot exclude itself."},
	policy.CodeUnknownBenefit:       {"未知的补贴类型。", "Unknown benefit kind."},
	policy.CodeUnknownDocumentKind:  {"未知的材料类型。", "Unknown document kind."},
	policy.CodeUnknownID:            {"未知的政策编号。", "Unknown package id."},
	policy.CodeUnknownKind:          {"未知的规则类型。", "Unknown rule kind."},
	policy.CodeUnknownLevel:         {"未知的学历层次。", "Unknown education level."},
	policy.CodeUnknownParam:         {"该规则没有此参数。", "This rule kind has no such parameter."},
	calendar.CodeCalendarMalformed:  {"工作日历数据无效。", "The working-day calendar data is invalid."},
	calendar.CodeInHoliday:          {"调休工作日不能在节假日内。", "A make-up working day cannot fall inside a holiday."},
	calendar.CodeNotWeekend:         {"调休工作日须为周末。", "A make-up working day must be a weekend day."},

	// Claims and payments.
	allowance.CodeClaimNotFound:         {"申请不存在。", "No such claim."},
	allowance.CodePaymentNotFound:       {"付款记录不存在。", "No such payment."},
	allowance.CodeBatchNotFound:         {"付款批次不存在。", "No such batch."},
	allowance.CodeClaimExists:           {"您已有一笔同类申请在办理或已享受。", "You already have a live claim of this package."},
	allowance.CodeClaimStatusConflict:   {"申请当前状态不允许此操作。", "The claim's status does not allow this."},
	allowance.CodeClaimEventUnknown:     {"未知的申请事件。", "Unknown claim event."},
	allowance.CodeClaimAlreadyAppealed:  {"每笔申请只能申诉一次。", "A claim may be appealed once."},
	allowance.CodeClaimIncomplete:       {"申请材料或信息不完整，见各项说明。", "The claim is incomplete; see the items."},
	allowance.CodeClaimIneligible:       {"资格审核结果为不符合，应予驳回而非通过。", "An ineligible claim is rejected, not approved."},
	allowance.CodeClaimNothingToPay:     {"审核结果没有应发金额。", "The decision gives no amount to pay."},
	allowance.CodeOwnClaim:              {"不能审核本人的申请。", "Nobody decides their own claim."},
	allowance.CodeDocumentRejected:      {"该材料未通过检查，不能使用。", "This document failed its checks."},
	allowance.CodeDocumentMissing:       {"缺少此项材料。", "This document is missing."},
	allowance.CodeRejectCodeUnknown:     {"未知的驳回理由。", "Unknown rejection reason."},
	allowance.CodePaymentStatusConflict: {"付款当前状态不允许此操作。", "The payment's status does not allow this."},
	allowance.CodeNoPaymentsDue:         {"目前没有待发放的款项。", "No payment is due."},
	allowance.CodeClaimAssigned:         {"该申请已由其他审核人员办理；如需接手，请先接管。", "Another reviewer holds this claim; take it over first."},
	allowance.CodeAssigneeNotReviewer:   {"只能分配给审核人员。", "Claims can be assigned to reviewers only."},
	allowance.CodeReturnLimit:           {"该申请退回补正的次数已达上限，请作出决定。", "The claim has been returned as often as allowed; decide it."},
	allowance.CodeReturnTarget:          {"退回事项须为某类材料（documents.*）或申报事项。", "A return item names a document kind (documents.*) or a declaration."},
	allowance.CodeReturnCodeUnknown:     {"未知的补正理由。", "Unknown supplement reason."},

	// Finance: batches, the bank's return files, clawbacks.
	allowance.CodeBatchStatusConflict:     {"付款批次当前状态不允许此操作。", "The batch's status does not allow this."},
	allowance.CodeBatchNotApproved:        {"付款批次须经另一位财务人员复核通过后才能导出或登记银行回单。", "A batch is exported or answered by the bank only after a second finance officer approved it."},
	allowance.CodeOwnBatch:                {"制单人不能复核或导出自己制作的付款批次。", "Whoever made a batch neither approves nor exports it."},
	allowance.CodeReturnRejected:          {"银行回单中有错误的行，未登记任何结果。", "Some rows of the bank's return file are invalid; nothing was applied."},
	allowance.CodeReturnEmpty:             {"银行回单中没有数据行。", "The return file has no data rows."},
	allowance.CodeReturnReferenceUnknown:  {"该付款编号不属于此批次。", "This reference is not a payment of the batch."},
	allowance.CodeReturnReferenceRepeated: {"该付款编号在文件中重复出现。", "This reference appears more than once in the file."},
	allowance.CodeReturnResultUnknown:     {"处理结果须为 paid（成功）或 failed（失败）。", "The result must be paid or failed."},
	allowance.CodeClawbackNotFound:        {"追回事项不存在。", "No such clawback."},
	allowance.CodeClawbackExists:          {"该申请已有追回事项。", "The claim already has a clawback."},
	allowance.CodeClawbackStatusConflict:  {"追回事项当前状态不允许此操作。", "The clawback's status does not allow this."},
	allowance.CodeClawbackNotInPackage:    {"该补贴项目没有追回规定。", "The package reclaims nothing."},
	allowance.CodeClawbackNothingPaid:     {"该申请尚未发放任何款项。", "Nothing of the claim was paid."},
	allowance.CodeClawbackNotOwed:         {"已满服务期，无需退回。", "The whole service period was served; nothing is owed."},

	// Talent apartments.
	housing.CodePropertyNotFound:          {"楼盘不存在。", "No such property."},
	housing.CodeUnitNotFound:              {"房源不存在。", "No such unit."},
	housing.CodeRoundNotFound:             {"配租轮次不存在。", "No such round."},
	housing.CodeApplicationNotFound:       {"申请不存在。", "No such application."},
	housing.CodeOfferNotFound:             {"房源分配不存在。", "No such offer."},
	housing.CodeLeaseNotFound:             {"租约不存在。", "No such lease."},
	housing.CodeCorrectionNotFound:        {"更正不存在。", "No such correction."},
	housing.CodePropertyNameTaken:         {"楼盘名称已存在。", "A property with this name exists."},
	housing.CodeUnitNumberTaken:           {"该楼盘已有此房号。", "This unit number exists in the property."},
	housing.CodeUnitTaken:                 {"该房源已分配或已出租。", "This unit is already offered or let."},
	housing.CodeUnitInRound:               {"该房源正在等待本轮摇号。", "This unit waits for its round's draw."},
	housing.CodeUnitNotAvailable:          {"所选房源须为空闲且不在其他未摇号的轮次中。", "The units must be free and in no other undrawn round."},
	housing.CodeUnitStatusConflict:        {"房源当前状态不允许此操作。", "The unit's status does not allow this."},
	housing.CodeApplicationExists:         {"您已有一份有效的人才公寓申请。", "You already have an active apartment application."},
	housing.CodeApplicationHasOffer:       {"该申请已有有效的房源分配。", "This application already has a live offer."},
	housing.CodeApplicationNotEligible:    {"该申请不符合条件。", "The application is not eligible."},
	housing.CodeApplicationStatusConflict: {"申请当前状态不允许此操作。", "The application's status does not allow this."},
	housing.CodeRoundNotOpen:              {"该轮次目前不受理申请。", "The round is not taking applications."},
	housing.CodeRoundNotClosed:            {"摇号须在申请截止后进行，且只能进行一次。", "A draw runs once, after the round closes."},
	housing.CodeRoundNotDrawn:             {"只能更正已公布的摇号结果。", "Only a published draw is corrected."},
	housing.CodeDrawNotPublished:          {"本轮摇号结果尚未公布。", "The draw of this round is not published yet."},
	housing.CodeWindowEmpty:               {"截止时间须晚于开始时间。", "The round must close after it opens."},
	housing.CodePreferenceMatchesNothing:  {"该意向与本轮房源都不匹配。", "This preference matches no unit of the round."},
	housing.CodeOfferNotPending:           {"该房源分配已确认、已放弃或已过期。", "The offer was answered or has lapsed."},
	housing.CodeLeaseNotActive:            {"租约当前状态不允许此操作。", "The lease is not active."},
	housing.CodeRenewalNotOpen:            {"尚未到续租办理时间（租期结束前两个月起）。", "Renewal opens two months before the lease ends."},
	housing.CodeLeaseAtMaximum:            {"租期已达上限（36 个月）。", "The lease is at its maximum term (36 months)."},
	housing.CodeMoveOutReason:             {"退租原因不在可选范围内。", "Unknown move-out reason."},
	housing.CodeCorrectionApplied:         {"该更正已生效。", "The correction was applied already."},
	talent.CodeImportEmpty:                {"文件中没有数据行。", "The file has no data rows."},
	talent.CodeImportRejected:             {"部分行有误，未导入任何数据。", "Some rows are invalid; nothing was imported."},
	talent.CodeDuplicateInFile:            {"文件中重复。", "Duplicated in the file."},
	housing.CodePropertyUnknown:           {"楼盘不存在，请先添加楼盘。", "No such property; add it first."},
	housing.CodeLayoutUnknown:             {"户型须为 studio、1br、2br 或 3br。", "The layout must be studio, 1br, 2br or 3br."},
	housing.CodeUnitStatus:                {"状态只能设为 available 或 maintenance。", "The status can be set to available or maintenance only."},
	talent.CodeSpreadsheetUnreadable:      {"无法读取该表格文件。", "The spreadsheet cannot be read."},
	draw.CodeInvalidUTF8:                  {"不是有效的 UTF-8 文本。", "Not valid UTF-8."},
	draw.CodeCount:                        {"数量超出允许范围。", "Too few or too many."},
	draw.CodeNotMasked:                    {"公示中的姓名和证件号须已脱敏。", "Names and ID numbers in a public record must be masked."},
	draw.CodeDrawRecordMalformed:          {"摇号记录格式有误。", "The draw record is malformed."},
	draw.CodeDrawRecordTooLarge:           {"摇号记录过大。", "The draw record is too large."},
	employers.CodeRegistrationNotFound:    {"单位注册申请不存在。", "No such employer registration."},
	employers.CodeRegistrationPending:     {"该信用代码已有一份注册申请在审核中。", "A registration for this credit code is waiting for review already."},
	employers.CodeRegistrationDecided:     {"该注册申请已审核。", "The registration has been decided already."},
	employers.CodeEmployerRegistered:      {"该单位已注册，请直接在个人资料中申报该单位。", "The employer is registered already; declare it on your profile instead."},
	employers.CodeInvitationNotFound:      {"邀请码无效、已使用或已过期。", "The invitation code is unknown, used or expired."},
	employers.CodeInvitationClosed:        {"该邀请已接受、撤销或过期。", "The invitation was accepted, revoked or has expired."},
	employers.CodeContactRequired:         {"请填写手机号或电子邮箱之一。", "Give a phone number or an email address, one of them."},
	employers.CodeEmailFormat:             {"电子邮箱格式不正确。", "The email address is not valid."},
	employers.CodeStaffElsewhere:          {"该账号已在另一家单位担任此角色。", "This account holds the role for another employer."},
	employers.CodeFilingNotFound:          {"备案记录不存在。", "No such filing."},
	employers.CodeAlreadyFiled:            {"本单位已为此人备案。", "This employer filed this person before."},
	employers.CodeAlreadyClaimed:          {"此人已申请过安家补贴。", "This person has claimed the relocation allowance already."},
	publicity.CodeEntryKind:               {"公示类别须为 claim 或 round。", "The kind must be claim or round."},
	draw.CodeDrawRecordNotUTF8:            {"摇号记录含有无效的 UTF-8 文本。", "The draw record holds text that is not valid UTF-8."},
}

// message returns the localized message of a code; a code without one is
// a bug that TestEveryCodeHasMessages catches, and reads as the generic
// contract message meanwhile.
func message(code talent.Code, l talent.Locale) string {
	if t, ok := messages[code]; ok {
		return t.in(l)
	}
	return messages[CodeSchema].in(l)
}
