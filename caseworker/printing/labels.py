"""Words printed for the services' fixed codes (payment methods, ID kinds, sync states...).

These codes are fixed in the services, not delivered as code tables, so their printed words
live here beside the forms that print them.
"""

from __future__ import annotations

# Payment methods and ID kinds are fixed codes of the services, not a shipped code table.
METHOD_LABELS = {
    "cash": "现金",
    "bank_card": "银行卡",
    "wechat": "微信支付",
    "alipay": "支付宝",
    "bank_transfer": "银行转账",
    # The tax authority's channels (payment.channel "tax"); wechat and alipay as above.
    "bank": "银行",
    "tax_app": "税务APP",
}
ID_KIND_LABELS = {
    "mainland": "居民身份证",
    "hong_kong": "港澳台居民居住证（香港）",
    "macau": "港澳台居民居住证（澳门）",
    "taiwan": "港澳台居民居住证（台湾）",
    "foreign_permanent_resident": "外国人永久居留身份证",
}
SEX_LABELS = {"1": "男", "2": "女", "0": "未知", "9": "未说明"}
STATUS_LABELS = {"active": "active", "suspended": "暂停", "ended": "终止"}
PENSION = ("resident_pension", "employee_pension", "employee_pension_flexible")
MEDICAL = ("resident_medical", "employee_medical")
ENTITY_LABELS = {
    "person": "人员",
    "enrolment": "参保",
    "payment": "缴费",
    "employer": "单位",
    "household": "家庭户",
    "survey_entry": "入户调查",
    "coverage": "参保状态",
    "employment": "增减员",
}
OPERATION_LABELS = {"create": "新增", "upsert": "新增/变更", "update": "变更", "void": "作废"}
STATE_LABELS = {
    "pending": "待上传",
    "sending": "上传中",
    "accepted": "已接收",
    "rejected": "被退回",
    "conflict": "有冲突",
}
