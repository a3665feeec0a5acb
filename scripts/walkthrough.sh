#!/usr/bin/env bash
# Walks Anju as the phone app and the staff would, against the instance
# `make run` serves on :8080 with its demo accounts. First the employer's
# side: an employer registers and is approved, invites an HR user, and files
# its new hires (a file with a bad row refused row by row). Then one
# relocation-allowance claim: profile, documents straight to MinIO, HR confirmation, the
# eligibility worker's decision with its trace, the reviewer's view of the
# applicant, a return for supplement and the resubmission, the approval on
# public notice (公示) with an objection, and finance's batch approved by a
# second officer, its export and the bank's return file. Needs curl and jq.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
API=${ANJU_API:-http://127.0.0.1:8080}
ANJU=${ANJU_BIN:-.tools/bin/anju}
eval "$(scripts/services.sh env)"
command -v jq >/dev/null || { echo "walkthrough: jq is needed (apt-get install jq)" >&2; exit 1; }

step() { printf '\n== %s\n' "$*"; }
token() { "$ANJU" dev token --role "$1"; }
GRAD=$(token graduate); HR=$(token hr); REVIEWER=$(token reviewer); FINANCE=$(token finance)
LEAD=$(token lead_reviewer); HOUSING=$(token housing)
call() { # call TOKEN METHOD PATH [JSON]
  local args=(-sS -X "$2" -H "Authorization: Bearer $1" -H "Accept-Language: en" -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)")
  [[ $# -ge 4 ]] && args+=(-H "Content-Type: application/json" -d "$4")
  curl "${args[@]}" "$API$3"
}

upload() { # upload TOKEN PATH FILE: a spreadsheet as the request body
  curl -sS -X POST -H "Authorization: Bearer $1" -H "Accept-Language: en" -H "Content-Type: application/octet-stream" \
    -H "Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" --data-binary "@$3" "$API$2"
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

step "An employer registers itself; a city admin approves it and the registrant becomes its admin"
OWNER=$("$ANJU" dev token --as employer-owner); ADMIN=$(token admin)
REG=$(call "$OWNER" POST /v1/employers/registrations '{"creditCode":"91330282MA2CX7JU1X","name":"宁波海曙新材料有限公司",
  "address":"宁波市海曙区望春工业园 8 号","contactName":"周敏","contactPhone":"13900001111"}')
jq '{status, code, contactPhone, detail}' <<<"$REG"
REG_ID=$(jq -r '.id // empty' <<<"$REG")
if [[ -n $REG_ID ]]; then
  EMPLOYER=$(call "$ADMIN" POST "/v1/admin/employers/registrations/$REG_ID/approve" | jq -r .employerId)

  step "Its admin invites an HR user by phone; the invitee signs in and accepts the code"
  CODE=$(call "$OWNER" POST "/v1/employers/$EMPLOYER/invitations" '{"role":"hr","phone":"13900002222"}' | jq -r .code)
  echo "  invitation code (passed on by the inviter): $CODE"
  NEWHR=$("$ANJU" dev token --as employer-hr)
  call "$NEWHR" POST "/v1/invitations/$CODE/accept" | jq '{role, status}'
  call "$OWNER" GET "/v1/employers/$EMPLOYER/staff" | jq -c '.items'

  step "HR files its new hires: a file with a bad row is refused whole, row by row; the corrected one is filed"
  printf '姓名,身份证号,手机号,合同开始日期,合同结束日期,社保起缴日期\n王芳,330282199903050029,13900003333,2025-07-15,2028-07-14,2025-08-01\n赵强,330203200002290018,,2025-07-15,2028-07-14,2025-08-01\n' >"$tmp/hires.csv"
  upload "$NEWHR" "/v1/hr/filings?format=csv" "$tmp/hires.csv" | jq '{code, errors: [.errors[]? | "\(.field): \(.message)"]}'
  sed -i 's/330203200002290018/330203200002290017/' "$tmp/hires.csv"
  upload "$NEWHR" "/v1/hr/filings?format=csv" "$tmp/hires.csv" | jq '{hires, matched}'
  echo "  each filed graduate, on giving their ID number in the app, finds the employment confirmed and a prefilled claim"
fi

step "The graduate's profile (personal data comes back masked)"
call "$GRAD" GET /v1/me | jq '.profile | {name, nationalId, phone, bankAccount, employer}'

step "What can I claim? (precheck, rule by rule)"
call "$GRAD" POST /v1/eligibility/precheck | jq '.results[] | {package, outcome, eligibleFrom, summary: .summary.en}'

step "HR of the employer confirms the employment"
EMP=$(call "$HR" GET "/v1/hr/employments?status=pending" | jq -r '.items[0].id // empty')
if [[ -n $EMP ]]; then
  call "$HR" POST "/v1/hr/employments/$EMP/confirm" \
    '{"contractStart":"2025-07-15","contractEnd":"2028-07-14","socialInsuranceStart":"2025-08-01"}' | jq '{status, socialInsuranceStart}'
else
  call "$GRAD" GET /v1/me/employment | jq '{status}'
fi

step "A relocation claim: upload the seven documents straight to MinIO"
CLAIM=$(call "$GRAD" POST /v1/claims '{"package":"relocation","declarations":{"ownsHomeInCity":false}}' | jq -r .id)
if [[ $CLAIM == null ]]; then
  CLAIM=$(call "$GRAD" GET /v1/claims | jq -r '[.items[] | select(.package == "relocation")][0].id')
  echo "(this graduate already claimed the relocation allowance: showing that claim)"
else
  DOCS=()
  for kind in id_card diploma degree_certificate chsi_record labour_contract social_insurance_record bank_card; do
    printf '%%PDF-1.4\n%% %s\n%%%%EOF\n' "$kind" >"$tmp/$kind.pdf"
    size=$(stat -c %s "$tmp/$kind.pdf"); sum=$(sha256sum "$tmp/$kind.pdf" | cut -d' ' -f1)
    up=$(call "$GRAD" POST /v1/documents "{\"kind\":\"$kind\",\"contentType\":\"application/pdf\",\"size\":$size,\"sha256\":\"$sum\"}")
    form=(); while IFS= read -r f; do form+=(-F "$f"); done < <(jq -r '.upload.fields | to_entries[] | "\(.key)=\(.value)"' <<<"$up")
    curl -sS -o /dev/null -w "  $kind: MinIO answered %{http_code}\n" "${form[@]}" -F "file=@$tmp/$kind.pdf" "$(jq -r .upload.url <<<"$up")"
    id=$(jq -r .document.id <<<"$up"); DOCS+=("\"$id\"")
    call "$GRAD" POST "/v1/documents/$id/complete" >/dev/null
  done
  for _ in $(seq 50); do
    pending=$(call "$GRAD" GET "/v1/documents?limit=20" | jq '[.items[] | select(.status != "accepted")] | length')
    [[ $pending == 0 ]] && break; sleep 0.2
  done
  call "$GRAD" POST "/v1/claims/$CLAIM/documents" "{\"documentIds\":[$(IFS=,; echo "${DOCS[*]}")]}" | jq '{status, documents: [.documents[].kind]}'
  step "Submit (retrying with the same Idempotency-Key would count once)"
  call "$GRAD" POST "/v1/claims/$CLAIM/submit" | jq '{status, policyVersion, stage, dueAt}'
fi

step "The eligibility worker decides, with a trace"
for _ in $(seq 50); do
  status=$(call "$GRAD" GET "/v1/claims/$CLAIM" | jq -r .status)
  [[ $status != submitted ]] && break; sleep 0.2
done
call "$GRAD" GET "/v1/claims/$CLAIM" | jq '{status, stage, dueAt, outcome: .decision.outcome,
  trace: [.decision.trace[] | "\(.outcome)  \(.clause)  \(.message.en)"], entitlement: .decision.entitlement.message.en}'

wait_status() { # wait_status STATUS: until the claim leaves it
  for _ in $(seq 50); do
    [[ $(call "$GRAD" GET "/v1/claims/$CLAIM" | jq -r .status) != "$1" ]] && break; sleep 0.2
  done
}

step "The reviewer's queue (earliest deadline first; search by name or exact ID number)"
call "$REVIEWER" GET "/v1/review/queue?q=%E6%9D%8E" | jq '[.items[] | {id, applicantName, package, dueAt, outcome: .decision.outcome}]'

step "The review view: who applies, each document to preview (the view goes to the access log)"
call "$REVIEWER" GET "/v1/review/claims/$CLAIM" | jq '{status, dueAt, applicant: (.applicant | {name, nationalId, age, hukouPlace,
  employer: .employer.name, socialInsurance}), documents: [.documents[] | {kind, preview: (.downloadUrl != null)}]}'

if [[ $(call "$GRAD" GET "/v1/claims/$CLAIM" | jq -r .status) == under_review ]]; then
  step "Returned for supplement (退回补正): the review deadline pauses while the graduate has it"
  call "$REVIEWER" POST "/v1/review/claims/$CLAIM/return" \
    '{"items":[{"target":"documents.diploma","code":"illegible","text":{"zh":"毕业证书扫描件不清晰","en":"The diploma scan is illegible"}}]}' \
    | jq '{status, stage, dueAt, returns, returnItems}'
  call "$GRAD" GET /v1/claims | jq '[.items[] | {id, status, nextStep}]'

  step "The graduate resubmits; the worker evaluates again and the deadline resumes"
  call "$GRAD" POST "/v1/claims/$CLAIM/submit" | jq '{status, policyVersion}'
  wait_status submitted

  step "Approved: the approval goes on public notice (公示) before any payment"
  call "$REVIEWER" POST "/v1/review/claims/$CLAIM/approve" '{"note":"documents and facts verified"}' | jq '{status, noticeUntil, nextStep}'
  echo "  the notice, as anyone reads it without signing in:"
  curl -sS "$API/v1/public/publicity?kind=claim" | jq '.items[] | {person, employer, package, amount, endsAt, status}'

  step "Someone objects; a reviewer other than the approver dismisses it"
  OBJ=$(call "$HOUSING" POST "/v1/publicity/$CLAIM/objections" '{"reasons":"申请人在本市已有住房"}' | jq -r .id)
  call "$LEAD" GET /v1/review/objections | jq '[.items[] | {objection: .objection.reasons, person: .entry.person}]'
  call "$LEAD" POST "/v1/review/objections/$OBJ/resolve" '{"uphold":false,"resolution":"经不动产登记查询，申请人名下无房"}' | jq '{status, resolution}'

  step "The notice ends (shortened here with anju dev end-notices): the payments are scheduled"
  "$ANJU" dev end-notices
fi
call "$GRAD" GET "/v1/claims/$CLAIM" | jq '{status, payments: [.payments[] | {seq, amount, dueOn, status}]}'

step "Finance makes a batch of what is due: it waits for a second officer (maker–checker)"
BATCH=$(call "$FINANCE" POST /v1/finance/batches | jq -r '.id // empty')
if [[ -n $BATCH ]]; then
  call "$FINANCE" GET "/v1/finance/batches/$BATCH" | jq '{batch: (.batch | {status, count, total, heldBack}),
    lines: [.lines[] | {name, bankAccount, amount}]}'
  echo "  the maker approving it is refused:"
  call "$FINANCE" POST "/v1/finance/batches/$BATCH/approve" | jq -c '{status, code, detail}'

  step "A second finance officer approves and exports it (every export is the same file, recorded with its SHA-256)"
  CHECKER=$("$ANJU" dev token --as finance-checker)
  call "$ADMIN" PUT "/v1/admin/users/$(call "$CHECKER" GET /v1/me | jq -r .user.id)/roles/finance" '{}' >/dev/null
  call "$CHECKER" POST "/v1/finance/batches/$BATCH/approve" | jq -c '{status, approvedBy}'
  for _ in 1 2; do
    curl -sS -H "Authorization: Bearer $CHECKER" -o "$tmp/batch.csv" "$API/v1/finance/batches/$BATCH/export?format=csv"
    echo "  exported $(sha256sum "$tmp/batch.csv" | cut -c1-16)… ($(stat -c %s "$tmp/batch.csv") bytes)"
  done
  call "$CHECKER" GET "/v1/finance/batches/$BATCH" | jq -c '.exports[] | {format, sha256: .sha256[:16], at}'

  step "The bank's return file: every payment paid; sent twice, applied once"
  awk -F, 'NR > 1 { print $2 ",paid,,BANK" NR }' "$tmp/batch.csv" | { echo "reference,result,reason,serial"; cat; } >"$tmp/returns.csv"
  for _ in 1 2; do
    upload "$FINANCE" "/v1/finance/batches/$BATCH/returns?format=csv" "$tmp/returns.csv" | jq -c '{lines, paid, failed, changed, repeated}'
  done
  call "$FINANCE" GET "/v1/finance/batches/$BATCH" | jq -c '.batch | {status, paid, failed}'
fi
call "$FINANCE" GET /v1/finance/reconciliation | jq -c .

step "The graduate's inbox"
for _ in $(seq 25); do # the notices of the payments arrive through the worker
  call "$GRAD" GET "/v1/me/notifications?limit=30" | jq -e '[.items[] | select(.template == "payment.paid")] | length > 0' >/dev/null && break
  sleep 0.2
done
call "$GRAD" GET "/v1/me/notifications?limit=30" | jq -r '.items[] | "  \(.title): \(.body)"'

step "Delivery statistics for today"
call "$REVIEWER" GET "/v1/stats/delivery?from=$(TZ=Asia/Shanghai date +%F)&to=$(TZ=Asia/Shanghai date -d tomorrow +%F)" | jq '.items'

step "What the public sees without signing in: delivery by package and month"
curl -sS "$API/v1/public/stats/delivery?from=$(date -u +%Y-01-01)&to=$(date -u -d "+8 hours" +%F)" | jq '.items'
