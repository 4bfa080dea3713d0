"""Audit entries in words, in Chinese and English: what each action code means, what each
field is called, and what an entry changed, without disclosing a personal number.

An audit row names its action by code (``payment.void``) and carries either the field-by-field
changes of an update or, for a create, the outbox row whose payload it hashed. This module
turns those into text for the audit screen. Every value goes through the masking helpers of
``domain.disclosure``: ID numbers keep their first and last four characters, phones and bank
cards their ends, and any long run of digits in free text (a note, a reason) is masked too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from caseworker.domain.bank import mask_bank_card
from caseworker.domain.codes import load_code_table
from caseworker.domain.disclosure import mask_numbers, mask_phone
from caseworker.domain.errors import InvalidValue
from caseworker.domain.ids import mask_id_number
from caseworker.domain.money import format_yuan
from caseworker.domain.regions import load_region_directory

Words = tuple[str, str]  # (Chinese, English)

# Every action code written to the audit trail (tests/services/test_audit_log.py reads each
# ``action=`` in the code and fails on one missing here). Codes built at run time are listed
# by what they can become: ``sync.<resolution>``, ``<entity>.resubmit``, ``transfer.<state>``.
ACTION_LABELS: dict[str, Words] = {
    "centre.setup": ("建立服务中心", "Centre set up"),
    "operator.login": ("登录", "Logged in"),
    "operator.signing_key": ("启用签名密钥", "Signing key issued"),
    "operator.add": ("添加操作员", "Operator added"),
    "operator.key_rotated": ("更换签名密钥", "Signing key replaced"),
    # CHECKPOINT_ACTION of domain.audit_chain: one signature over a bulk write's run.
    "audit.checkpoint": ("签署批量记录", "Bulk entries signed"),
    "operator.password_changed": ("修改密码", "Password changed"),
    "person.create": ("登记人员", "Person registered"),
    "person.update": ("修改人员信息", "Person changed"),
    "enrolment.create": ("参保", "Enrolled"),
    "enrolment.update": ("修改参保", "Enrolment changed"),
    "employer.create": ("登记用人单位", "Employer registered"),
    "employer.update": ("修改用人单位", "Employer changed"),
    "employer.enrol": ("单位参保登记", "Employer enrolled in schemes"),
    "employer.declare_bases": ("缴费基数申报", "Contribution bases declared"),
    "employee.join": ("增员", "Employee added"),
    "employee.leave": ("减员", "Employee removed"),
    "employee.base": ("调整缴费基数", "Contribution base changed"),
    "platform.link": (
        "关联平台从业人员（职业伤害保障）",
        "Platform worker linked (injury protection)",
    ),
    "household.create": ("建立家庭户", "Household created"),
    "person.household": ("变更家庭户成员关系", "Household membership changed"),
    "person.moved_away": ("登记迁出", "Moved away"),
    "person.deceased": ("登记死亡", "Recorded as deceased"),
    "payment.record": ("缴费", "Payment recorded"),
    "payment.reprint": ("补打收据（副本）", "Receipt copy printed"),
    "payment.void": ("作废收据", "Receipt voided"),
    "payment.original": ("开具收据原件", "Receipt original issued"),
    "payment.record_tax": ("登记税务渠道缴费", "Tax-channel payment recorded"),
    "tax_list.match": ("核对税务缴费清单", "Tax authority's list matched"),
    "import.roster": ("导入村（居）委会花名册", "Village roster imported"),
    "special_group_list.import": (
        "导入民政特殊群体名单",
        "Civil affairs' special-group list imported",
    ),
    "day.close": ("日结", "Day closed"),
    "day.reopen": ("撤销日结", "Day close reopened"),
    "review.approve": ("审核通过", "Approved in review"),
    "review.return": ("退回经办员", "Sent back to the clerk"),
    "operator.login_failed": ("登录失败", "Login failed"),
    "operator.disabled": ("停用操作员", "Operator disabled"),
    "operator.role_changed": ("变更操作员角色或机构", "Operator's role or agency changed"),
    "operator.reauth": ("审核员在他人会话中授权", "Supervisor authorised at another's session"),
    "operator.reauth_refused": ("授权被拒绝", "Authorisation refused"),
    "operator.recovered": ("用恢复密钥恢复访问", "Access recovered with the recovery key"),
    "setting.change": ("修改中心设置", "Centre setting changed"),
    "store.accept_loss": ("确认数据丢失", "Data loss accepted"),
    "coverage.derive": ("参保状态按记录更新", "Coverage status updated from records"),
    "coverage.record": ("记录参保状态", "Coverage status recorded"),
    "survey_entry.create": ("入户调查记录", "Survey answer recorded"),
    "transfer.request": ("申请转入", "Transfer requested"),
    "transfer.approved": ("县级批准转入", "Transfer approved by the county"),
    "transfer.refused": ("县级拒绝转入", "Transfer refused by the county"),
    "transfer.adopt": ("转入人员并入本中心", "Transferred person taken in"),
    "sync.register": ("本机在县级注册", "Device registered with the county"),
    "export.registry": ("导出人员登记库", "Registry exported"),
    "export.coverage": ("导出参保状态", "Coverage status exported"),
    "export.worklist": ("导出工作清单", "Worklist exported"),
    "sync.pull_registry": ("接收县级登记库更新", "Registry update received"),
    "sync.resubmitted": ("同步问题：重新提交", "Sync issue: sent again"),
    "sync.dismissed": ("同步问题：不再处理", "Sync issue: dismissed"),
    "sync.accepted_server": ("同步问题：采用县级记录", "Sync issue: county's record taken"),
    **{
        f"{kind}.resubmit": (f"重新提交{zh}", f"{en} sent again")
        for kind, zh, en in (
            ("person", "人员", "Person"),
            ("enrolment", "参保", "Enrolment"),
            ("payment", "缴费", "Payment"),
            ("employer", "用人单位", "Employer"),
            ("household", "家庭户", "Household"),
            ("survey_entry", "入户调查", "Survey entry"),
            ("coverage", "参保状态", "Coverage status"),
            ("employment", "增减员", "Employment"),
        )
    },
}

ENTITY_LABELS: dict[str, Words] = {
    "person": ("人员", "Person"),
    "enrolment": ("参保", "Enrolment"),
    "payment": ("缴费", "Payment"),
    "employer": ("用人单位", "Employer"),
    "household": ("家庭户", "Household"),
    "survey_entry": ("入户调查", "Survey entry"),
    "coverage": ("参保状态", "Coverage status"),
    "employment": ("增减员", "Employment"),
    "setting": ("中心设置", "Centre setting"),
    "operator": ("操作员", "Operator"),
    "centre": ("服务中心", "Centre"),
    "device": ("本机", "This device"),
    "store": ("数据库", "Database"),
    "sync": ("同步", "Sync"),
    "transfer": ("转入申请", "Transfer"),
    "special_group_list": ("特殊群体名单", "Special-group list"),
    "export": ("导出文件", "Export"),
    "import": ("导入文件", "Import"),
}

FIELD_LABELS: dict[str, Words] = {
    "id_number": ("身份证号码", "ID number"),
    "id_kind": ("证件类型", "ID kind"),
    "name": ("姓名", "Name"),
    "sex": ("性别", "Sex"),
    "birth_date": ("出生日期", "Birth date"),
    "ethnicity": ("民族", "Ethnicity"),
    "phone": ("联系电话", "Phone"),
    "hukou_nature": ("户口性质", "Hukou type"),
    "hukou_region_code": ("户籍地", "Hukou region"),
    "hukou_village_code": ("户籍村（居）", "Hukou village"),
    "hukou_address": ("户籍详细地址", "Hukou address"),
    "residence_address": ("居住地址", "Residence"),
    "employment_category": ("就业类别", "Employment"),
    "employer_id": ("用人单位", "Employer"),
    "special_groups": ("特殊群体", "Special groups"),
    "bank_account": ("银行卡号", "Bank card"),
    "household_id": ("家庭户", "Household"),
    "relationship_to_head": ("与户主关系", "Relationship to head"),
    "moved_in_on": ("迁入日期", "Moved in on"),
    "moved_away_on": ("迁出日期", "Moved away on"),
    "deceased_on": ("死亡日期", "Died on"),
    "scheme": ("险种", "Scheme"),
    "status": ("状态", "Status"),
    "tier_fen": ("缴费档次", "Tier"),
    "base_fen": ("缴费基数", "Base"),
    "start_date": ("参保日期", "Start date"),
    "documents": ("材料", "Documents"),
    "receipt_number": ("收据号", "Receipt"),
    "voucher_number": ("完税凭证号", "Tax voucher"),
    "period": ("所属期", "Period"),
    "amount_fen": ("金额", "Amount"),
    "personal_fen": ("个人缴纳", "Paid by the person"),
    "method": ("方式", "Method"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    "employer_type": ("单位类型", "Employer type"),
    "contact_name": ("联系人", "Contact"),
    "contact_phone": ("联系电话", "Contact phone"),
    "address": ("地址", "Address"),
    "village_code": ("村（居）", "Village"),
    "address_detail": ("详细地址", "Address"),
    "reason": ("原因", "Reason"),
    "void_reason": ("作废原因", "Reason for the void"),
    "note": ("备注", "Note"),
    "username": ("用户名", "Username"),
    "role": ("角色", "Role"),
    "server": ("县级服务器", "County server"),
    "township": ("乡镇", "Township"),
    "applied": ("已采用", "Applied"),
    "skipped": ("已跳过", "Skipped"),
    "code": ("原因代码", "Code"),
    "on_behalf_of": ("代表", "On behalf of"),
    "title": ("内容", "Contents"),
    "filters": ("筛选条件", "Filters"),
    "rows": ("行数", "Rows"),
    "file": ("文件名", "File"),
    "sha256": ("文件校验值（SHA-256）", "File SHA-256"),
    "masked": ("身份证号隐去中间位", "ID numbers masked"),
    "kind": ("清单", "List"),
    "format": ("格式", "Format"),
    "line": ("保障项目", "Line"),
    "date": ("日期", "Date"),
}

# A field whose name means something else on another kind of record.
_FIELD_LABELS_OF = {("employer", "name"): ("单位名称", "Employer name")}

# Code-table fields: their values are shown by name, not by code.
_CODE_TABLES = {
    "sex": "sex",
    "ethnicity": "ethnic_group",
    "hukou_nature": "hukou_nature",
    "employment_category": "employment_category",
    "relationship_to_head": "relationship",
    "special_groups": "special_group",
    "scheme": "scheme",
    "employer_type": "employer_type",
    "documents": "document",
}
_MASKS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "contact_phone": mask_phone,
    "bank_account": mask_bank_card,
}
# What a create shows of the record it wrote (read from its outbox payload), by entity type.
CREATE_SUMMARY: dict[str, tuple[str, ...]] = {
    "person": ("name", "id_number", "hukou_village_code"),
    "enrolment": ("scheme", "tier_fen", "base_fen", "start_date"),
    "payment": ("receipt_number", "voucher_number", "scheme", "period", "amount_fen"),
    "employer": ("name", "credit_code", "employer_type"),
    "household": ("village_code", "address_detail"),
    "survey_entry": ("scheme", "status"),
    "coverage": ("line", "status", "reason", "source"),
}
# Actions that say something other than what their record holds.
ACTION_SUMMARY: dict[str, tuple[str, ...]] = {
    "payment.void": ("receipt_number", "voucher_number", "amount_fen", "void_reason"),
}
# Bookkeeping in a detail that says nothing to a reader.
_HIDDEN = {"outbox_id", "payload_sha256", "outbox_seq", "transfer", "merged_from", "changes"}
EMPTY: Words = ("（空）", "(empty)")


def words(table: Mapping[str, Words], code: str) -> Words:
    """The entry's words, or the code itself when the table does not know it (never hidden)."""
    return table.get(code, (code, code))


def _code_name(table: str, code: str, english: bool) -> str:
    try:
        entry = load_code_table(table).get(code)
    except (InvalidValue, ValueError, FileNotFoundError):
        return code
    # Schemes by their short names (居民养老): a list row has no room for the full one.
    short = entry.extra.get("short_en" if english else "short_zh")
    return str(short) if short else entry.name("en" if english else "zh")


def value_text(field: str, value: Any, english: bool = False) -> str:
    """One value as a reader sees it: masked, codes by name, money in yuan."""
    if value is None or value == "" or value == []:
        return EMPTY[english]
    if isinstance(value, list | tuple):
        return "、".join(value_text(field, item, english) for item in value)
    if isinstance(value, dict):
        return mask_numbers(", ".join(f"{k}: {v}" for k, v in value.items()))
    text = str(value)
    if field in _MASKS:
        return _MASKS[field](text)
    if field in _CODE_TABLES:
        return _code_name(_CODE_TABLES[field], text, english)
    if field.endswith("_fen") and isinstance(value, int) and not isinstance(value, bool):
        return f"{format_yuan(value)}{' yuan' if english else '元'}"
    if field in ("hukou_village_code", "village_code", "hukou_region_code"):
        region = load_region_directory().find(text)
        return region.name if region else text
    if field.endswith("_id") and _is_uuid(text):
        return text[:8]  # an internal id: enough to tell two apart, nothing personal
    return mask_numbers(text)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _field(field: str, english: bool, entity_type: str = "") -> str:
    return (_FIELD_LABELS_OF.get((entity_type, field)) or words(FIELD_LABELS, field))[english]


def changes_text(changes: Mapping[str, Any], english: bool = False) -> str:
    """``姓名：王秀英 → 王秀云；联系电话：138****5678 → 139****0000``."""
    arrow, separator, colon = " → ", "; " if english else "；", ": " if english else "："
    parts = []
    for field in sorted(changes, key=lambda f: (f not in FIELD_LABELS, f)):
        pair = changes[field]
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        parts.append(
            f"{_field(field, english)}{colon}{value_text(field, before, english)}"
            f"{arrow}{value_text(field, after, english)}"
        )
    return separator.join(parts)


def _with_period(payload: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(payload)
    start, end = payload.get("period_start"), payload.get("period_end")
    if start and end:
        values["period"] = f"{str(start)[:7]}～{str(end)[:7]}"
    return values


def fields_text(
    values: Mapping[str, Any], names: tuple[str, ...], english: bool = False, entity_type: str = ""
) -> str:
    separator, colon = ("; ", ": ") if english else ("；", "：")
    return separator.join(
        f"{_field(name, english, entity_type)}{colon}{value_text(name, values[name], english)}"
        for name in names
        if values.get(name) not in (None, "", [])
    )


def detail_text(
    action: str,
    entity_type: str,
    detail: Mapping[str, Any],
    payload: Mapping[str, Any] | None,
    english: bool = False,
) -> str:
    """What one entry did: before → after for an update, the record written for a create
    (from its outbox payload), else the detail's own fields."""
    changes = detail.get("changes")
    if isinstance(changes, Mapping) and changes:
        return changes_text(changes, english)
    summary = ACTION_SUMMARY.get(action) or CREATE_SUMMARY.get(entity_type)
    if payload is not None and summary:
        return fields_text(_with_period(payload), summary, english, entity_type)
    shown = {k: v for k, v in detail.items() if k not in _HIDDEN}
    return fields_text(shown, tuple(shown), english)
