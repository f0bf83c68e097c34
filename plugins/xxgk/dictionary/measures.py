"""The conformed measures as data (SPEC §4): which cells of the old, 2019 and 2021 formats
measure the same thing, how comparable they are, and why a format has no equivalent.

``xxgk.transform.crosswalk`` writes them as dbt seeds; a new format is a data change here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

COMPARABILITY: Final = ("good", "approximate", "not_comparable")
NO_ROW_NOTE: Final = "no equivalent row in this format"


@dataclass(frozen=True)
class Source:
    """The cells of one format that compose a measure (summed), and how comparable they are."""

    codes: tuple[str, ...]
    comparability: str = "good"
    note: str = ""

    def __post_init__(self) -> None:
        if self.comparability not in COMPARABILITY:
            raise ValueError(f"unknown comparability {self.comparability!r}")
        if bool(self.codes) == (self.comparability == "not_comparable"):
            raise ValueError("list codes exactly when the source is comparable")


@dataclass(frozen=True)
class Measure:
    """A conformed measure: one column of fct_agency_year_measures."""

    code: str
    group: str
    english_name: str
    chinese_name: str
    unit: str
    sources: Mapping[str, Source] = field(default_factory=dict)


def t3(*rows: str) -> tuple[str, ...]:
    """Row totals (总计 column) of table-三 rows."""
    return tuple(f"t3_{row}__total" for row in rows)


def _same(codes: tuple[str, ...], note: str = "", comparability: str = "good") -> dict[str, Source]:
    """The same cells in v2019 and v2021 (tables 三 and 四 are shared)."""
    return {fmt: Source(codes, comparability, note) for fmt in ("v2019", "v2021")}


def _none(note: str) -> Source:
    return Source((), "not_comparable", note)


WITHHELD = t3(
    "res_withheld_state_secret",
    "res_withheld_law_prohibited",
    "res_withheld_three_security_one_stability",
    "res_withheld_third_party",
    "res_withheld_internal_affairs",
    "res_withheld_process_info",
    "res_withheld_enforcement_file",
    "res_withheld_admin_query",
)
UNABLE = t3("res_unable_not_held", "res_unable_needs_creation", "res_unable_unclear")
NOT_PROCESSED = t3(
    "res_notproc_petition",
    "res_notproc_duplicate",
    "res_notproc_publication",
    "res_notproc_excessive",
    "res_notproc_confirm_reissue",
)
OLD_UNABLE = ("old_ans_not_this_agency", "old_ans_not_exist")
OLD_NO_CARRY = "the old table has no carry-over rows"
PENDING_NOTE = "尚未审结 (pending) is new in 2019; the old table has no such column"
# A provincial old table (metrics.yaml table_variants) has its own rows for the same thing;
# a report has one table or the other, so the sum is the one that was printed.
YC_NOTE = "old_yc_: the provincial <year>年度 column (never 历年累计), instead of the national row"


def _lit(result: str) -> tuple[str, ...]:
    return (f"t4_lit_direct_{result}", f"t4_lit_after_review_{result}")


# SPEC §4 as data. Formats missing from a measure's sources have no equivalent (NULL).
MEASURES: Final[tuple[Measure, ...]] = (
    Measure(
        "applications_received",
        "applications",
        "Applications received in the year",
        "本年新收申请数量",
        "件",
        {
            "old": Source(("old_app_received", "old_yc_app_received"), "good", YC_NOTE),
            **_same(t3("new_received")),
        },
    ),
    Measure(
        "applications_carried_over",
        "applications",
        "Applications carried over from the previous year",
        "上年结转申请数量",
        "件",
        {"old": _none(OLD_NO_CARRY), **_same(t3("carried_over"))},
    ),
    Measure(
        "applications_granted",
        "applications",
        "Applications granted",
        "予以公开",
        "件",
        {
            "old": Source(
                ("old_ans_granted", "old_ans_already_public", "old_yc_ans_granted"),
                "approximate",
                "同意公开 + 属于已主动公开范围: already-public replies have no own row "
                "after 2019 and are answered as 予以公开. " + YC_NOTE,
            ),
            **_same(t3("res_granted")),
        },
    ),
    Measure(
        "applications_partly_granted",
        "applications",
        "Applications partly granted",
        "部分公开",
        "件",
        {
            "old": Source(("old_ans_partial", "old_yc_ans_partial"), "good", YC_NOTE),
            **_same(t3("res_partial")),
        },
    ),
    Measure(
        "applications_withheld",
        "applications",
        "Applications withheld (refused), all reasons",
        "不予公开",
        "件",
        {
            "old": Source(
                ("old_ans_denied", "old_yc_ans_denied"),
                "approximate",
                "6 refusal reasons in the 2008 regime vs 8 in the 2019 条例. " + YC_NOTE,
            ),
            **_same(WITHHELD, "sum of the 8 reason rows"),
        },
    ),
    Measure(
        "withheld_state_secret",
        "withheld_reasons",
        "Withheld: state secret",
        "属于国家秘密",
        "件",
        {"old": Source(("old_den_state_secret",)), **_same(t3("res_withheld_state_secret"))},
    ),
    Measure(
        "withheld_law_prohibited",
        "withheld_reasons",
        "Withheld: prohibited by other laws",
        "其他法律行政法规禁止公开",
        "件",
        {
            "old": Source(
                ("old_den_other_legal",), "approximate", "法律法规规定的其他情形 is a catch-all"
            ),
            **_same(t3("res_withheld_law_prohibited")),
        },
    ),
    Measure(
        "withheld_security_stability",
        "withheld_reasons",
        "Withheld: endangers security or stability",
        "危及“三安全一稳定”",
        "件",
        {
            "old": Source(("old_den_security_stability",)),
            **_same(t3("res_withheld_three_security_one_stability")),
        },
    ),
    Measure(
        "withheld_third_party",
        "withheld_reasons",
        "Withheld: third-party rights (commercial secrets, privacy)",
        "保护第三方合法权益",
        "件",
        {
            "old": Source(
                ("old_den_commercial_secret", "old_den_privacy"),
                "approximate",
                "商业秘密 + 个人隐私 became 第三方合法权益 in the 2019 条例",
            ),
            **_same(t3("res_withheld_third_party")),
        },
    ),
    Measure(
        "withheld_internal_process",
        "withheld_reasons",
        "Withheld: internal affairs or process information",
        "内部事务信息、过程性信息",
        "件",
        {
            "old": _none("no such exemption before the 2019 条例"),
            **_same(t3("res_withheld_internal_affairs", "res_withheld_process_info")),
        },
    ),
    Measure(
        "withheld_enforcement_query",
        "withheld_reasons",
        "Withheld: enforcement files or administrative query matters",
        "行政执法案卷、行政查询事项",
        "件",
        {
            "old": _none("no such exemption before the 2019 条例"),
            **_same(t3("res_withheld_enforcement_file", "res_withheld_admin_query")),
        },
    ),
    Measure(
        "withheld_not_government_information",
        "withheld_reasons",
        "Withheld: not government information",
        "不是《条例》所指政府信息",
        "件",
        {
            "old": Source(("old_den_not_gov_info",)),
            **{f: _none("the 2019 form has no such reason") for f in ("v2019", "v2021")},
        },
    ),
    Measure(
        "applications_unable_to_provide",
        "applications",
        "Unable to provide, all reasons",
        "无法提供",
        "件",
        {
            "old": Source(
                OLD_UNABLE,
                "approximate",
                "不属于本行政机关 + 信息不存在; no rows for 'needs creation' or 'still unclear'",
            ),
            **_same(UNABLE, "sum of the 3 reason rows"),
        },
    ),
    Measure(
        "unable_not_held",
        "applications",
        "Unable to provide: information not held",
        "本机关不掌握相关政府信息",
        "件",
        {
            "old": Source(OLD_UNABLE, "approximate", "不属于本行政机关 + 信息不存在 (SPEC §4)"),
            **_same(t3("res_unable_not_held")),
        },
    ),
    Measure(
        "applications_not_processed",
        "applications",
        "Applications not processed",
        "不予处理",
        "件",
        {
            "old": _none("the old table has no 不予处理 rows"),
            **_same(NOT_PROCESSED, "sum of the 5 reason rows"),
        },
    ),
    Measure(
        "applications_other_handling",
        "applications",
        "Applications otherwise handled",
        "其他处理",
        "件",
        {
            "old": _none("the old table has no 其他处理 row"),
            "v2019": Source(t3("res_other")),
            "v2021": Source(
                t3("res_other_no_correction", "res_other_fee_unpaid", "res_other_misc"),
                "good",
                "（六）其他处理 split into three rows in 2021",
            ),
        },
    ),
    Measure(
        "applications_answered",
        "applications",
        "Applications answered (results total)",
        "办理结果总计 / 申请答复数",
        "件",
        {
            "old": Source(
                ("old_app_answered", "old_yc_answered"),
                "approximate",
                "申请答复数; the 2019 total also counts carried-over applications. " + YC_NOTE,
            ),
            **_same(t3("res_total")),
        },
    ),
    Measure(
        "applications_carried_forward",
        "applications",
        "Applications carried forward to the next year",
        "结转下年度继续办理",
        "件",
        {"old": _none(OLD_NO_CARRY), **_same(t3("carried_forward"))},
    ),
    Measure(
        "reviews_total",
        "reviews_lawsuits",
        "Administrative reviews, all outcomes",
        "行政复议总计",
        "件",
        {
            "old": Source(
                ("old_review_total", "old_yc_review_total"),
                "approximate",
                PENDING_NOTE + ". " + YC_NOTE,
            ),
            **_same(("t4_review_total",)),
        },
    ),
    Measure(
        "reviews_upheld",
        "reviews_lawsuits",
        "Administrative reviews: upheld",
        "复议结果维持",
        "件",
        {"old": Source(("old_review_upheld",)), **_same(("t4_review_upheld",))},
    ),
    Measure(
        "reviews_corrected",
        "reviews_lawsuits",
        "Administrative reviews: corrected",
        "复议结果纠正",
        "件",
        {"old": Source(("old_review_corrected",)), **_same(("t4_review_corrected",))},
    ),
    Measure(
        "reviews_other_outcome",
        "reviews_lawsuits",
        "Administrative reviews: other outcome",
        "复议其他结果",
        "件",
        {
            "old": Source(
                ("old_review_other",), "approximate", "其他情形 may include cases not yet decided"
            ),
            **_same(("t4_review_other",)),
        },
    ),
    Measure(
        "reviews_pending",
        "reviews_lawsuits",
        "Administrative reviews: pending",
        "复议尚未审结",
        "件",
        {"old": _none(PENDING_NOTE), **_same(("t4_review_pending",))},
    ),
    Measure(
        "lawsuits_total",
        "reviews_lawsuits",
        "Administrative lawsuits, all outcomes",
        "行政诉讼总计",
        "件",
        {
            "old": Source(
                ("old_lit_total", "old_yc_lit_total"), "approximate", PENDING_NOTE + ". " + YC_NOTE
            ),
            **_same(_lit("total"), "直接起诉 + 复议后起诉"),
        },
    ),
    Measure(
        "lawsuits_upheld",
        "reviews_lawsuits",
        "Administrative lawsuits: upheld",
        "诉讼结果维持",
        "件",
        {
            "old": Source(
                ("old_lit_upheld",), "approximate", "维持具体行政行为或者驳回原告诉讼请求"
            ),
            **_same(_lit("upheld"), "直接起诉 + 复议后起诉"),
        },
    ),
    Measure(
        "lawsuits_corrected",
        "reviews_lawsuits",
        "Administrative lawsuits: corrected",
        "诉讼结果纠正",
        "件",
        {
            "old": Source(("old_lit_corrected",)),
            **_same(_lit("corrected"), "直接起诉 + 复议后起诉"),
        },
    ),
    Measure(
        "lawsuits_other_outcome",
        "reviews_lawsuits",
        "Administrative lawsuits: other outcome",
        "诉讼其他结果",
        "件",
        {
            "old": Source(
                ("old_lit_other",), "approximate", "其他情形 may include cases not yet decided"
            ),
            **_same(_lit("other"), "直接起诉 + 复议后起诉"),
        },
    ),
    Measure(
        "lawsuits_pending",
        "reviews_lawsuits",
        "Administrative lawsuits: pending",
        "诉讼尚未审结",
        "件",
        {"old": _none(PENDING_NOTE), **_same(_lit("pending"), "直接起诉 + 复议后起诉")},
    ),
    Measure(
        "proactive_disclosures",
        "proactive_disclosure",
        "Items of information proactively disclosed",
        "主动公开政府信息数",
        "条",
        {
            "old": Source(
                ("old_act_info_total", "old_yc_act_docs"),
                "good",
                "主动公开文件数 in the provincial table. " + YC_NOTE,
            ),
            **{
                f: _none(
                    "the 2019/2021 forms count documents per category, not all items disclosed"
                )
                for f in ("v2019", "v2021")
            },
        },
    ),
    Measure(
        "normative_documents_issued",
        "proactive_disclosure",
        "Normative documents issued in the year",
        "本年制发规范性文件",
        "件",
        {
            "old": Source(("old_act_ndoc_issued",), "approximate", "制发规范性文件总数"),
            "v2019": Source(("v19_t2_ndoc_new_made",), "approximate", "制作 vs 制发"),
            "v2021": Source(("v21_t2_ndoc_issued",)),
        },
    ),
    Measure(
        "regulations_issued",
        "proactive_disclosure",
        "Regulations (规章) issued in the year",
        "本年制发规章",
        "件",
        {
            "old": _none("the old table has no 规章 row"),
            "v2019": Source(("v19_t2_reg_new_made",), "approximate", "制作 vs 制发"),
            "v2021": Source(("v21_t2_reg_issued",)),
        },
    ),
    Measure(
        "normative_documents_in_force",
        "proactive_disclosure",
        "Normative documents in force at year end",
        "现行有效规范性文件",
        "件",
        {
            "old": _none("the old table has no stock of documents"),
            "v2019": _none(
                "v19_t2_ndoc_total_published counts documents published "
                "cumulatively, not documents in force (SPEC §4)"
            ),
            "v2021": Source(("v21_t2_ndoc_in_force",)),
        },
    ),
    Measure(
        "licensing_decisions",
        "proactive_disclosure",
        "Administrative licensing decisions",
        "行政许可处理决定数量",
        "件",
        {
            "old": _none(NO_ROW_NOTE),
            "v2019": Source(("v19_t2_license_decisions",)),
            "v2021": Source(("v21_t2_license_decisions",)),
        },
    ),
    Measure(
        "penalty_decisions",
        "proactive_disclosure",
        "Administrative penalty decisions",
        "行政处罚处理决定数量",
        "件",
        {
            "old": _none(NO_ROW_NOTE),
            "v2019": Source(("v19_t2_penalty_decisions",)),
            "v2021": Source(("v21_t2_penalty_decisions",)),
        },
    ),
    Measure(
        "coercion_decisions",
        "proactive_disclosure",
        "Administrative coercion decisions",
        "行政强制处理决定数量",
        "件",
        {
            "old": _none(NO_ROW_NOTE),
            "v2019": Source(("v19_t2_coercion_decisions",)),
            "v2021": Source(("v21_t2_coercion_decisions",)),
        },
    ),
    Measure(
        "disclosure_fees_collected",
        "fees",
        "Fees collected for disclosure on application",
        "依申请公开信息收取的费用",
        "万元",
        {
            "old": Source(("old_fees_collected",)),
            "v2019": _none("the 2019 form has no fee amount"),
            "v2021": _none(
                "v21_t2_fee_amount is 行政事业性收费 (all fees of the body); "
                "信息处理费 appears only in section 六 prose"
            ),
        },
    ),
    Measure(
        "administrative_fees_amount",
        "fees",
        "Administrative fees charged (行政事业性收费)",
        "本年收费金额",
        "万元",
        {
            "old": _none("old_fees_collected covers disclosure fees only"),
            "v2019": _none("the 2019 form counts fee catalogue items, not amounts"),
            "v2021": Source(("v21_t2_fee_amount",)),
        },
    ),
)
