package api

import "github.com/anju-city/anju/internal/talent"

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
	talent.KindRateLimited:     {"请求过于频繁", "Too many requests"},
	talent.KindUnavailable:     {"服务暂时不可用，请稍后重试", "Temporarily unavailable; please retry"},
	talent.KindInternal:        {"服务器内部错误", "Internal server error"},
}

func title(k talent.Kind, l talent.Locale) string { return titles[k].in(l) }

// details explain problems by code.
var details = map[string]text{
	"request_invalid":          {"请求不符合接口约定，请检查各字段。", "The request does not match the API contract; see the fields."},
	"body_malformed":           {"请求体不是有效的 JSON。", "The request body is not valid JSON."},
	"body_too_large":           {"请求体过大。", "The request body is too large."},
	"validation_failed":        {"部分字段未通过校验。", "Some fields are invalid."},
	"token_missing":            {"缺少登录凭证。", "No sign-in token was sent."},
	"token_invalid":            {"登录凭证无效。", "The sign-in token is invalid."},
	"token_expired":            {"登录已过期，请重新登录。", "The sign-in token has expired; sign in again."},
	"token_revoked":            {"登录已失效，请重新登录。", "The sign-in token was revoked; sign in again."},
	"role_required":            {"当前账号没有执行此操作的角色。", "Your account does not have a role that allows this."},
	"national_id_taken":        {"该身份证号码已绑定其他账号，每人只能注册一个账号。", "This national ID number belongs to another account; one account per person."},
	"idempotency_key_reused":   {"该幂等键已用于不同的请求。", "This Idempotency-Key was used for a different request."},
	"idempotency_in_progress":  {"相同请求正在处理中，请稍后重试。", "The same request is still being processed; retry shortly."},
	"rate_limited":             {"请求过于频繁，请稍后再试。", "Too many requests; try again later."},
	"route_not_found":          {"接口不存在。", "No such endpoint."},
	"document_not_found":       {"材料不存在。", "No such document."},
	"notification_not_found":   {"消息不存在。", "No such notification."},
	"user_not_found":           {"用户不存在。", "No such user."},
	"cursor_invalid":           {"分页游标无效。", "The cursor is invalid."},
	"last_admin":               {"不能撤销自己的管理员角色。", "You cannot revoke your own admin role."},
	"object_store_unavailable": {"文件存储暂时不可用。", "File storage is temporarily unavailable."},
	"database_unavailable":     {"数据库暂时不可用。", "The database is temporarily unavailable."},
	"identity_unavailable":     {"登录服务暂时不可用。", "The sign-in service is temporarily unavailable."},
	"internal":                 {"请稍后重试；如问题持续，请提供请求编号。", "Please retry; if it persists, quote the request id."},
	"duplicate":                {"记录已存在。", "The record already exists."},
	"import_rejected":          {"部分行有误，未导入任何数据。", "Some rows are invalid; nothing was imported."},
	"unit_in_round":            {"该房源正在等待本轮摇号。", "This unit waits for its round's draw."},
	"property_name_taken":      {"楼盘名称已存在。", "A property with this name exists."},
	"unit_number_taken":        {"该楼盘已有此房号。", "This unit number exists in the property."},
	"property_not_found":       {"楼盘不存在。", "No such property."},
	"unit_not_found":           {"房源不存在。", "No such unit."},
	"employment_not_found":     {"在职申报不存在。", "No such employment declaration."},
	"employment_decided":       {"该在职申报已处理。", "This employment declaration was already answered."},
	"employer_not_found":       {"用人单位不存在。", "No such employer."},
	"employer_unknown":         {"用人单位不存在。", "No such employer."},
	"document_kind":            {"材料类型不受支持。", "Unsupported document kind."},
	"content_type_not_allowed": {"只接受 PDF、JPEG、PNG、HEIC、WebP 文件。", "Only PDF, JPEG, PNG, HEIC and WebP files are accepted."},
	"size_out_of_range":        {"文件大小须在 1 字节到 10 MiB 之间。", "The file must be between 1 byte and 10 MiB."},
	"template_unknown":         {"消息模板不存在。", "Unknown notification template."},
	"reference_unknown":        {"引用的记录不存在。", "A referenced record does not exist."},
	"value_rejected":           {"取值不被接受。", "A value was rejected."},
	"retry":                    {"请重试。", "Please retry."},
	"push_token_unregistered":  {"推送令牌已失效。", "The push token is no longer registered."},
	"push_rejected":            {"推送被拒绝。", "The push was rejected."},
	"object_not_found":         {"文件不存在。", "The file does not exist."},
	"object_store_failed":      {"文件存储出错。", "File storage failed."},
	"employer_required":        {"人事角色必须指定用人单位。", "The hr role needs an employer."},
	"employer_not_allowed":     {"只有人事角色可以指定用人单位。", "Only the hr role takes an employer."},
	"role_unknown":             {"角色不存在或不可授予。", "Unknown or non-grantable role."},
	"credit_code_taken":        {"统一社会信用代码已存在。", "The unified social credit code already exists."},
	"not_found":                {"未找到。", "Not found."},
	"profile_not_found":        {"尚未填写个人资料。", "No profile yet."},
	"user_disabled":            {"账号已停用。", "The account is disabled."},
}

func detail(code string, l talent.Locale) string {
	if t, ok := details[code]; ok {
		return t.in(l)
	}
	return ""
}

// fieldMessages explain field problems by code.
var fieldMessages = map[string]text{
	"required":                  {"必填。", "Required."},
	"unknown_field":             {"未知字段。", "Unknown field."},
	"type_mismatch":             {"类型不正确。", "Wrong type."},
	"enum":                      {"取值不在允许范围内。", "Not one of the allowed values."},
	"length":                    {"长度不符合要求。", "Length out of range."},
	"pattern":                   {"格式不正确。", "Wrong format."},
	"format":                    {"格式不正确。", "Wrong format."},
	"range":                     {"数值超出范围。", "Out of range."},
	"schema":                    {"不符合接口约定。", "Does not match the contract."},
	"parameter_invalid":         {"参数无效。", "Invalid parameter."},
	"name_length":               {"姓名须为 1 到 64 个字符。", "The name must be 1 to 64 characters."},
	"phone_format":              {"手机号码格式不正确。", "Not a valid mobile number."},
	"locale_unsupported":        {"只支持 zh-CN 和 en。", "Only zh-CN and en are supported."},
	"national_id_length":        {"身份证号码须为 18 位。", "The national ID number must have 18 characters."},
	"national_id_format":        {"身份证号码须为 17 位数字加 1 位数字或 X。", "The national ID number must be 17 digits and a digit or X."},
	"national_id_checksum":      {"身份证号码校验位不正确。", "The check digit of the national ID number is wrong."},
	"national_id_region":        {"身份证号码的地区码无效。", "The region code of the national ID number is invalid."},
	"national_id_birth_date":    {"身份证号码中的出生日期无效。", "The birth date in the national ID number is invalid."},
	"text_too_long":             {"内容过长。", "Too long."},
	"text_length":               {"长度不符合要求。", "Length out of range."},
	"too_many_items":            {"条目过多。", "Too many items."},
	"education_level":           {"学历层次无效。", "Unknown education level."},
	"date_out_of_range":         {"日期超出合理范围。", "The date is out of range."},
	"credit_code_length":        {"统一社会信用代码须为 18 位。", "The unified social credit code must have 18 characters."},
	"document_kind":             {"材料类型不受支持。", "Unsupported document kind."},
	"content_type_not_allowed":  {"只接受 PDF、JPEG、PNG、HEIC、WebP。", "Only PDF, JPEG, PNG, HEIC and WebP are accepted."},
	"size_out_of_range":         {"文件大小须在 1 字节到 10 MiB 之间。", "Must be between 1 byte and 10 MiB."},
	"sha256_format":             {"须为 64 位十六进制 SHA-256。", "Must be a 64-character hex SHA-256."},
	"device_token_format":       {"推送令牌格式不正确。", "Invalid push token."},
	"platform_unsupported":      {"平台须为 ios、android 或 harmony。", "The platform must be ios, android or harmony."},
	"role_unknown":              {"角色不存在或不可授予。", "Unknown or non-grantable role."},
	"employer_required":         {"人事角色必须指定用人单位。", "The hr role needs an employer."},
	"employer_not_allowed":      {"只有人事角色可以指定用人单位。", "Only the hr role takes an employer."},
	"employer_unknown":          {"用人单位不存在。", "No such employer."},
	"body_malformed":            {"不是有效的 JSON。", "Not valid JSON."},
	"credit_code_format":        {"统一社会信用代码含有无效字符。", "The unified social credit code has invalid characters."},
	"credit_code_checksum":      {"统一社会信用代码校验位不正确。", "The check character of the unified social credit code is wrong."},
	"employer_not_registered":   {"该用人单位尚未登记，请联系单位人事。", "This employer is not registered yet; ask its HR office."},
	"contract_end_before_start": {"合同结束日期须晚于开始日期。", "The contract must end after it starts."},
}

func fieldMessage(code string, l talent.Locale) string {
	if t, ok := fieldMessages[code]; ok {
		return t.in(l)
	}
	return fieldMessages["schema"].in(l)
}
