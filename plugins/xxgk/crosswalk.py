"""The warehouse dictionary as dbt seeds: metrics, conformed measures and their crosswalk.

The packaged ``data/metrics.yaml`` lists every cell of every table format; SPEC §4 says which
cells of the old, 2019 and 2021 formats measure the same thing. This module turns both into the
CSV seeds of ``dbt_project/seeds/`` so that the dbt models never name a metric code:

* ``dictionary/dictionary_metrics.csv`` — one row per metric code and format (metrics.yaml,
  flattened, with an English name derived from the code);
* ``dictionary/dictionary_conformed_measures.csv`` — one row per conformed measure;
* ``dictionary/dictionary_crosswalk.csv`` — one row per conformed measure and format: the metric
  codes that compose it (``+``-separated, summed), a comparability flag (``good`` /
  ``approximate`` / ``not_comparable``) and a note. ``not_comparable`` rows list no codes: the
  measure is NULL for that format, never 0;
* ``reference/reference_formats.csv`` and ``reference/reference_applicant_types.csv``.

A new format is a data change: add its metrics to metrics.yaml and its codes to ``MEASURES``,
then regenerate. ``tests/dbt/test_crosswalk.py`` fails when a committed seed differs from what
this module writes.

The division-code seed ``reference/reference_admin_divisions.csv`` is made from the
``adcodes.csv`` of the cpca wheel (MIT; see ``seeds/reference/NOTICE``) with ``--adcodes``.

Regenerate from the project root::

    PYTHONPATH=plugins .venv/bin/python -m xxgk.crosswalk [--adcodes cpca/resources/adcodes.csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from xxgk.dictionary import raw_dictionary

log = logging.getLogger(__name__)

DEFAULT_SEED_DIR: Final = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
COMPARABILITY: Final = ("good", "approximate", "not_comparable")
TABLE_FORMATS: Final = ("old", "v2019", "v2021")
ALL_FORMATS: Final = (*TABLE_FORMATS, "narrative", "unknown")
NO_TABLE_NOTE: Final = "no statistics table in this format"
NO_ROW_NOTE: Final = "no equivalent row in this format"

Row = dict[str, Any]


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
    "res_withheld_state_secret", "res_withheld_law_prohibited",
    "res_withheld_three_security_one_stability", "res_withheld_third_party",
    "res_withheld_internal_affairs", "res_withheld_process_info",
    "res_withheld_enforcement_file", "res_withheld_admin_query",
)
UNABLE = t3("res_unable_not_held", "res_unable_needs_creation", "res_unable_unclear")
NOT_PROCESSED = t3(
    "res_notproc_petition", "res_notproc_duplicate", "res_notproc_publication",
    "res_notproc_excessive", "res_notproc_confirm_reissue",
)
OLD_UNABLE = ("old_ans_not_this_agency", "old_ans_not_exist")
OLD_NO_CARRY = "the old table has no carry-over rows"
PENDING_NOTE = "尚未审结 (pending) is new in 2019; the old table has no such column"


def _lit(result: str) -> tuple[str, ...]:
    return (f"t4_lit_direct_{result}", f"t4_lit_after_review_{result}")


# SPEC §4 as data. Formats missing from a measure's sources have no equivalent (NULL).
MEASURES: Final[tuple[Measure, ...]] = (
    Measure("applications_received", "applications", "Applications received in the year",
            "本年新收申请数量", "件", {
                "old": Source(("old_app_received",)), **_same(t3("new_received"))}),
    Measure("applications_carried_over", "applications", "Applications carried over from the "
            "previous year", "上年结转申请数量", "件", {
                "old": _none(OLD_NO_CARRY), **_same(t3("carried_over"))}),
    Measure("applications_granted", "applications", "Applications granted", "予以公开", "件", {
        "old": Source(("old_ans_granted", "old_ans_already_public"), "approximate",
                      "同意公开 + 属于已主动公开范围: already-public replies have no own row "
                      "after 2019 and are answered as 予以公开"),
        **_same(t3("res_granted"))}),
    Measure("applications_partly_granted", "applications", "Applications partly granted",
            "部分公开", "件", {"old": Source(("old_ans_partial",)), **_same(t3("res_partial"))}),
    Measure("applications_withheld", "applications", "Applications withheld (refused), all "
            "reasons", "不予公开", "件", {
                "old": Source(("old_ans_denied",), "approximate",
                              "6 refusal reasons in the 2008 regime vs 8 in the 2019 条例"),
                **_same(WITHHELD, "sum of the 8 reason rows")}),
    Measure("withheld_state_secret", "withheld_reasons", "Withheld: state secret", "属于国家秘密",
            "件", {"old": Source(("old_den_state_secret",)),
                  **_same(t3("res_withheld_state_secret"))}),
    Measure("withheld_law_prohibited", "withheld_reasons", "Withheld: prohibited by other laws",
            "其他法律行政法规禁止公开", "件", {
                "old": Source(("old_den_other_legal",), "approximate",
                              "法律法规规定的其他情形 is a catch-all"),
                **_same(t3("res_withheld_law_prohibited"))}),
    Measure("withheld_security_stability", "withheld_reasons", "Withheld: endangers security "
            "or stability", "危及“三安全一稳定”", "件", {
                "old": Source(("old_den_security_stability",)),
                **_same(t3("res_withheld_three_security_one_stability"))}),
    Measure("withheld_third_party", "withheld_reasons", "Withheld: third-party rights "
            "(commercial secrets, privacy)", "保护第三方合法权益", "件", {
                "old": Source(("old_den_commercial_secret", "old_den_privacy"), "approximate",
                              "商业秘密 + 个人隐私 became 第三方合法权益 in the 2019 条例"),
                **_same(t3("res_withheld_third_party"))}),
    Measure("withheld_internal_process", "withheld_reasons", "Withheld: internal affairs or "
            "process information", "内部事务信息、过程性信息", "件", {
                "old": _none("no such exemption before the 2019 条例"),
                **_same(t3("res_withheld_internal_affairs", "res_withheld_process_info"))}),
    Measure("withheld_enforcement_query", "withheld_reasons", "Withheld: enforcement files or "
            "administrative query matters", "行政执法案卷、行政查询事项", "件", {
                "old": _none("no such exemption before the 2019 条例"),
                **_same(t3("res_withheld_enforcement_file", "res_withheld_admin_query"))}),
    Measure("withheld_not_government_information", "withheld_reasons", "Withheld: not government "
            "information", "不是《条例》所指政府信息", "件", {
                "old": Source(("old_den_not_gov_info",)),
                **{f: _none("the 2019 form has no such reason") for f in ("v2019", "v2021")}}),
    Measure("applications_unable_to_provide", "applications", "Unable to provide, all reasons",
            "无法提供", "件", {
                "old": Source(OLD_UNABLE, "approximate", "不属于本行政机关 + 信息不存在; no rows "
                              "for 'needs creation' or 'still unclear'"),
                **_same(UNABLE, "sum of the 3 reason rows")}),
    Measure("unable_not_held", "applications", "Unable to provide: information not held",
            "本机关不掌握相关政府信息", "件", {
                "old": Source(OLD_UNABLE, "approximate", "不属于本行政机关 + 信息不存在 (SPEC §4)"),
                **_same(t3("res_unable_not_held"))}),
    Measure("applications_not_processed", "applications", "Applications not processed",
            "不予处理", "件", {"old": _none("the old table has no 不予处理 rows"),
                               **_same(NOT_PROCESSED, "sum of the 5 reason rows")}),
    Measure("applications_other_handling", "applications", "Applications otherwise handled",
            "其他处理", "件", {
                "old": _none("the old table has no 其他处理 row"),
                "v2019": Source(t3("res_other")),
                "v2021": Source(t3("res_other_no_correction", "res_other_fee_unpaid",
                                   "res_other_misc"), "good",
                                "（六）其他处理 split into three rows in 2021")}),
    Measure("applications_answered", "applications", "Applications answered (results total)",
            "办理结果总计 / 申请答复数", "件", {
                "old": Source(("old_app_answered",), "approximate",
                              "申请答复数; the 2019 total also counts carried-over applications"),
                **_same(t3("res_total"))}),
    Measure("applications_carried_forward", "applications", "Applications carried forward to "
            "the next year", "结转下年度继续办理", "件", {
                "old": _none(OLD_NO_CARRY), **_same(t3("carried_forward"))}),
    Measure("reviews_total", "reviews_lawsuits", "Administrative reviews, all outcomes",
            "行政复议总计", "件", {
                "old": Source(("old_review_total",), "approximate", PENDING_NOTE),
                **_same(("t4_review_total",))}),
    Measure("reviews_upheld", "reviews_lawsuits", "Administrative reviews: upheld", "复议结果维持",
            "件", {"old": Source(("old_review_upheld",)), **_same(("t4_review_upheld",))}),
    Measure("reviews_corrected", "reviews_lawsuits", "Administrative reviews: corrected",
            "复议结果纠正", "件", {
                "old": Source(("old_review_corrected",)), **_same(("t4_review_corrected",))}),
    Measure("reviews_other_outcome", "reviews_lawsuits", "Administrative reviews: other outcome",
            "复议其他结果", "件", {
                "old": Source(("old_review_other",), "approximate",
                              "其他情形 may include cases not yet decided"),
                **_same(("t4_review_other",))}),
    Measure("reviews_pending", "reviews_lawsuits", "Administrative reviews: pending",
            "复议尚未审结", "件", {"old": _none(PENDING_NOTE), **_same(("t4_review_pending",))}),
    Measure("lawsuits_total", "reviews_lawsuits", "Administrative lawsuits, all outcomes",
            "行政诉讼总计", "件", {
                "old": Source(("old_lit_total",), "approximate", PENDING_NOTE),
                **_same(_lit("total"), "直接起诉 + 复议后起诉")}),
    Measure("lawsuits_upheld", "reviews_lawsuits", "Administrative lawsuits: upheld",
            "诉讼结果维持", "件", {
                "old": Source(("old_lit_upheld",), "approximate",
                              "维持具体行政行为或者驳回原告诉讼请求"),
                **_same(_lit("upheld"), "直接起诉 + 复议后起诉")}),
    Measure("lawsuits_corrected", "reviews_lawsuits", "Administrative lawsuits: corrected",
            "诉讼结果纠正", "件", {"old": Source(("old_lit_corrected",)),
                                 **_same(_lit("corrected"), "直接起诉 + 复议后起诉")}),
    Measure("lawsuits_other_outcome", "reviews_lawsuits", "Administrative lawsuits: other "
            "outcome", "诉讼其他结果", "件", {
                "old": Source(("old_lit_other",), "approximate",
                              "其他情形 may include cases not yet decided"),
                **_same(_lit("other"), "直接起诉 + 复议后起诉")}),
    Measure("lawsuits_pending", "reviews_lawsuits", "Administrative lawsuits: pending",
            "诉讼尚未审结", "件", {"old": _none(PENDING_NOTE),
                                 **_same(_lit("pending"), "直接起诉 + 复议后起诉")}),
    Measure("proactive_disclosures", "proactive_disclosure", "Items of information proactively "
            "disclosed", "主动公开政府信息数", "条", {
                "old": Source(("old_act_info_total",)),
                **{f: _none("the 2019/2021 forms count documents per category, not all items "
                            "disclosed") for f in ("v2019", "v2021")}}),
    Measure("normative_documents_issued", "proactive_disclosure", "Normative documents issued "
            "in the year", "本年制发规范性文件", "件", {
                "old": Source(("old_act_ndoc_issued",), "approximate", "制发规范性文件总数"),
                "v2019": Source(("v19_t2_ndoc_new_made",), "approximate", "制作 vs 制发"),
                "v2021": Source(("v21_t2_ndoc_issued",))}),
    Measure("regulations_issued", "proactive_disclosure", "Regulations (规章) issued in the year",
            "本年制发规章", "件", {
                "old": _none("the old table has no 规章 row"),
                "v2019": Source(("v19_t2_reg_new_made",), "approximate", "制作 vs 制发"),
                "v2021": Source(("v21_t2_reg_issued",))}),
    Measure("normative_documents_in_force", "proactive_disclosure", "Normative documents in "
            "force at year end", "现行有效规范性文件", "件", {
                "old": _none("the old table has no stock of documents"),
                "v2019": _none("v19_t2_ndoc_total_published counts documents published "
                               "cumulatively, not documents in force (SPEC §4)"),
                "v2021": Source(("v21_t2_ndoc_in_force",))}),
    Measure("licensing_decisions", "proactive_disclosure", "Administrative licensing decisions",
            "行政许可处理决定数量", "件", {
                "old": _none(NO_ROW_NOTE), "v2019": Source(("v19_t2_license_decisions",)),
                "v2021": Source(("v21_t2_license_decisions",))}),
    Measure("penalty_decisions", "proactive_disclosure", "Administrative penalty decisions",
            "行政处罚处理决定数量", "件", {
                "old": _none(NO_ROW_NOTE), "v2019": Source(("v19_t2_penalty_decisions",)),
                "v2021": Source(("v21_t2_penalty_decisions",))}),
    Measure("coercion_decisions", "proactive_disclosure", "Administrative coercion decisions",
            "行政强制处理决定数量", "件", {
                "old": _none(NO_ROW_NOTE), "v2019": Source(("v19_t2_coercion_decisions",)),
                "v2021": Source(("v21_t2_coercion_decisions",))}),
    Measure("disclosure_fees_collected", "fees", "Fees collected for disclosure on application",
            "依申请公开信息收取的费用", "万元", {
                "old": Source(("old_fees_collected",)),
                "v2019": _none("the 2019 form has no fee amount"),
                "v2021": _none("v21_t2_fee_amount is 行政事业性收费 (all fees of the body); "
                               "信息处理费 appears only in section 六 prose")}),
    Measure("administrative_fees_amount", "fees", "Administrative fees charged (行政事业性收费)",
            "本年收费金额", "万元", {
                "old": _none("old_fees_collected covers disclosure fees only"),
                "v2019": _none("the 2019 form counts fee catalogue items, not amounts"),
                "v2021": Source(("v21_t2_fee_amount",))}),
)

# English names: old-table rows by hand; the other formats are composed from code parts.
OLD_NAMES: Final[dict[str, str]] = {
    "s1_header_total": "I. Proactive disclosure (header)",
    "act_info_total": "Items proactively disclosed",
    "act_ndoc_published": "of which normative documents disclosed",
    "act_ndoc_issued": "Normative documents issued",
    "act_channels_total": "Disclosure by channel (header)",
    "act_ch_gazette": "Items disclosed in the government gazette",
    "act_ch_website": "Items disclosed on government websites",
    "act_ch_weibo": "Items disclosed on government Weibo",
    "act_ch_wechat": "Items disclosed on government WeChat",
    "act_ch_other": "Items disclosed through other channels",
    "act_proposals_total": "Disclosure of NPC/CPPCC proposal results (header)",
    "act_prop_npc": "NPC deputies' suggestions",
    "act_prop_cppcc": "CPPCC proposals",
    "s2_header_total": "II. Responses and interpretation (header)",
    "resp_hotspots": "Responses to public concerns",
    "resp_channels_total": "Responses by channel (header)",
    "resp_press_conf": "Press conferences held or attended",
    "resp_press_conf_principal": "of which attended by principal leaders",
    "resp_interview": "Online interviews on government websites",
    "resp_interview_principal": "of which with principal leaders",
    "resp_interpretations": "Policy interpretation articles",
    "resp_weibo_wechat": "Responses via Weibo/WeChat",
    "resp_other": "Responses through other channels",
    "s3_header_total": "III. Disclosure on application (header)",
    "app_received": "Applications received",
    "app_recv_in_person": "Applications received in person",
    "app_recv_fax": "Applications received by fax",
    "app_recv_online": "Applications received online",
    "app_recv_letter": "Applications received by letter",
    "app_closed": "Applications closed",
    "app_closed_on_time": "Applications closed on time",
    "app_closed_extended": "Applications closed after extension",
    "app_answered": "Applications answered",
    "ans_already_public": "Answered: already proactively disclosed",
    "ans_granted": "Answered: disclosure granted",
    "ans_partial": "Answered: partly granted",
    "ans_denied": "Answered: disclosure refused",
    "den_state_secret": "Refused: state secret",
    "den_commercial_secret": "Refused: commercial secret",
    "den_privacy": "Refused: personal privacy",
    "den_security_stability": "Refused: endangers security or stability",
    "den_not_gov_info": "Refused: not government information",
    "den_other_legal": "Refused: other legal grounds",
    "ans_not_this_agency": "Answered: not held by this agency",
    "ans_not_exist": "Answered: information does not exist",
    "ans_notice_amend": "Answered: applicant told to amend",
    "ans_notice_other_route": "Answered: applicant referred to another route",
    "review_total": "Administrative reviews",
    "review_upheld": "Administrative reviews: upheld",
    "review_corrected": "Administrative reviews: corrected",
    "review_other": "Administrative reviews: other outcome",
    "lit_total": "Administrative lawsuits",
    "lit_upheld": "Administrative lawsuits: upheld or claim rejected",
    "lit_corrected": "Administrative lawsuits: corrected",
    "lit_other": "Administrative lawsuits: other outcome",
    "complaints_total": "Reports and complaints",
    "fees_collected": "Fees collected for disclosure on application",
    "org_dedicated_units": "Dedicated disclosure units",
    "org_reading_points": "Disclosure reading points",
    "org_staff_total": "Disclosure staff",
    "org_staff_fulltime": "Disclosure staff: full-time",
    "org_staff_parttime": "Disclosure staff: part-time",
    "org_special_funds": "Dedicated disclosure funds",
    "s9_header_total": "IX. Meetings and training (header)",
    "train_meetings": "Disclosure meetings held",
    "train_classes": "Training classes held",
    "train_trainees": "Trainees (person-times)",
}
T2_ITEMS: Final[dict[str, str]] = {
    "reg": "Regulations", "ndoc": "Normative documents", "license": "Administrative licensing",
    "othersvc": "Other external management services", "penalty": "Administrative penalties",
    "coercion": "Administrative coercion", "fee": "Administrative fees",
    "procurement": "Centralised government procurement",
}
T2_COLUMNS: Final[dict[str, str]] = {
    "new_made": "made this year", "new_published": "newly disclosed this year",
    "total_published": "total disclosed", "prev_items": "items in the previous year",
    "change": "change this year", "decisions": "decisions", "issued": "issued this year",
    "repealed": "repealed this year", "in_force": "in force", "amount": "amount (10k CNY)",
    "projects": "projects",
}
T3_ROWS: Final[dict[str, str]] = {
    "new_received": "New applications received", "carried_over": "Carried over from last year",
    "res_granted": "Granted", "res_partial": "Partly granted",
    "res_withheld_state_secret": "Withheld: state secret",
    "res_withheld_law_prohibited": "Withheld: prohibited by other laws",
    "res_withheld_three_security_one_stability": "Withheld: security or stability",
    "res_withheld_third_party": "Withheld: third-party rights",
    "res_withheld_internal_affairs": "Withheld: internal affairs",
    "res_withheld_process_info": "Withheld: process information",
    "res_withheld_enforcement_file": "Withheld: enforcement file",
    "res_withheld_admin_query": "Withheld: administrative query",
    "res_withheld_subtotal": "Withheld: subtotal",
    "res_unable_not_held": "Unable: not held",
    "res_unable_needs_creation": "Unable: needs creation",
    "res_unable_unclear": "Unable: still unclear", "res_unable_subtotal": "Unable: subtotal",
    "res_notproc_petition": "Not processed: petition or complaint",
    "res_notproc_duplicate": "Not processed: duplicate",
    "res_notproc_publication": "Not processed: publication requested",
    "res_notproc_excessive": "Not processed: excessive repeated requests",
    "res_notproc_confirm_reissue": "Not processed: confirmation or reissue",
    "res_notproc_subtotal": "Not processed: subtotal", "res_other": "Other handling",
    "res_other_no_correction": "Other: no correction supplied",
    "res_other_fee_unpaid": "Other: fee not paid", "res_other_misc": "Other: miscellaneous",
    "res_other_subtotal": "Other handling: subtotal", "res_total": "Results total",
    "carried_forward": "Carried forward to next year",
}
APPLICANT_TYPES: Final[tuple[tuple[str, str, str, str, bool], ...]] = (
    # id, Chinese name, English name, group, printed on the form
    ("natural_person", "自然人", "Natural person", "natural_person", True),
    ("org_commercial", "商业企业", "Commercial enterprise", "organisation", True),
    ("org_research", "科研机构", "Research institution", "organisation", True),
    ("org_social_welfare", "社会公益组织", "Social welfare organisation", "organisation", True),
    ("org_legal_service", "法律服务机构", "Legal service institution", "organisation", True),
    ("org_other", "其他", "Other organisation", "organisation", True),
    ("org_subtotal", "法人或其他组织小计", "Organisations, subtotal", "organisation", False),
    ("total", "总计", "Total", "total", True),
    ("not_applicable", "不适用", "Not applicable (cell outside table 三)", "not_applicable",
     False),
)
T4_GROUPS: Final[dict[str, str]] = {
    "review": "Administrative reviews", "lit_direct": "Lawsuits filed directly",
    "lit_after_review": "Lawsuits after review",
}
T4_RESULTS: Final[dict[str, str]] = {
    "upheld": "upheld", "corrected": "corrected", "other": "other outcome",
    "pending": "pending", "total": "total",
}
FORMATS: Final[tuple[tuple[str, str, str, str, int | None, int | None], ...]] = (
    # id, English name, legal basis, template, first and last report year
    ("old", "2008 regime statistics table (政府信息公开情况统计表)",
     "《政府信息公开条例》 (国务院令第492号, in force 2008-05-01)",
     "国办发〔2014〕32号 national statistics table; provincial tables before 2014", 2008, 2018),
    ("v2019", "2019 report format, trial (年度报告格式（试行）)",
     "《政府信息公开条例》 (国务院令第711号, in force 2019-05-15)",
     "国办公开办函〔2019〕60号", 2019, 2020),
    ("v2021", "2021 report format (年度报告格式)",
     "《政府信息公开条例》 (国务院令第711号, in force 2019-05-15)",
     "国办公开办函〔2021〕30号", 2021, None),
    ("narrative", "Narrative only (no statistics table)", "", "", None, None),
    ("unknown", "Unknown (not recognised)", "", "", None, None),
)



def english_name(code: str) -> str:
    """English name of a metric code (old rows by hand, the rest composed from the code).

    Raises:
        ValueError: a part of the code has no English name.
    """
    try:
        if code.startswith("old_"):
            return OLD_NAMES[code.removeprefix("old_")]
        if code.startswith(("v19_t2_", "v21_t2_")):
            rest = code[len("v19_t2_"):]
            item = next(k for k in T2_ITEMS if rest.startswith(k + "_"))
            return f"{T2_ITEMS[item]}: {T2_COLUMNS[rest.removeprefix(item + '_')]}"
        if code.startswith("t3_"):
            row, column = code.removeprefix("t3_").split("__")
            applicant = {a[0]: a[2] for a in APPLICANT_TYPES}[column]
            return f"{T3_ROWS[row]}, {applicant.lower()}"
        if code.startswith("t4_"):
            rest = code.removeprefix("t4_")
            group = max((k for k in T4_GROUPS if rest.startswith(k + "_")), key=len)
            return f"{T4_GROUPS[group]}: {T4_RESULTS[rest.removeprefix(group + '_')]}"
    except (KeyError, StopIteration, ValueError) as exc:
        raise ValueError(f"no English name for metric code {code!r}") from exc
    raise ValueError(f"metric code {code!r} belongs to no known table")


def _dictionary_formats(dictionary: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {str(f["id"]): list(f["metrics"]) for f in dictionary["formats"]}


def metric_rows(dictionary: Mapping[str, Any]) -> list[Row]:
    """One row per metric code and format of metrics.yaml, in dictionary order."""
    from xxgk.dictionary import table_no_of

    rows: list[Row] = []
    for format_id, metrics in _dictionary_formats(dictionary).items():
        for order, m in enumerate(metrics, start=1):
            labels = [str(label) for label in m["label_path"]]
            on_template = m.get("on_template")
            rows.append({
                "metric_code": m["code"], "format_id": format_id,
                "table_no": table_no_of(m["code"]), "dictionary_order": order,
                "label_path": " › ".join(labels), "label": labels[-1], "section": labels[0],
                "row_key": m.get("row_key"), "column_key": m.get("column_key"),
                "unit": m.get("unit"), "value_type": m.get("value_type") or "count",
                "parent_metric_code": m.get("parent"),
                "on_template": None if on_template is None else str(on_template).lower(),
                "comparable_to": m.get("comparable_to"),
                "english_name": english_name(m["code"]),
            })
    return rows


def _check_sources(measure: Measure, units: Mapping[tuple[str, str], str | None]) -> None:
    for format_id, source in measure.sources.items():
        if format_id not in TABLE_FORMATS:
            raise ValueError(f"{measure.code}: {format_id!r} is not a table format")
        for code in source.codes:
            if (format_id, code) not in units:
                raise ValueError(f"{measure.code}: {code!r} is not a {format_id} metric")
            if units[format_id, code] != measure.unit:
                raise ValueError(f"{measure.code}: {code!r} is not in {measure.unit}")


def measure_rows(measures: Sequence[Measure] = MEASURES) -> list[Row]:
    """One row per conformed measure, in column order."""
    codes = [m.code for m in measures]
    if len(set(codes)) != len(codes):
        raise ValueError("duplicate conformed measure codes")
    return [
        {"measure_code": m.code, "measure_group": m.group, "english_name": m.english_name,
         "chinese_name": m.chinese_name, "unit": m.unit, "sort_order": order}
        for order, m in enumerate(measures, start=1)
    ]


def crosswalk_rows(
    dictionary: Mapping[str, Any], measures: Sequence[Measure] = MEASURES
) -> list[Row]:
    """One row per conformed measure and format (narrative and unknown included).

    Raises:
        ValueError: a measure names a code that is not in metrics.yaml for that format, or
            whose unit differs from the measure's.
    """
    units = {
        (format_id, str(m["code"])): m.get("unit")
        for format_id, metrics in _dictionary_formats(dictionary).items()
        for m in metrics
    }
    rows: list[Row] = []
    for measure in measures:
        _check_sources(measure, units)
        for format_id in ALL_FORMATS:
            default = NO_ROW_NOTE if format_id in TABLE_FORMATS else NO_TABLE_NOTE
            source = measure.sources.get(format_id, _none(default))
            rows.append({
                "measure_code": measure.code, "format_id": format_id,
                "metric_codes": "+".join(source.codes) or None,
                "component_count": len(source.codes), "comparability": source.comparability,
                "note": source.note or None,
            })
    return rows


def format_rows(dictionary: Mapping[str, Any]) -> list[Row]:
    """One row per report format (the three table formats, narrative, unknown)."""
    names = {str(f["id"]): str(f.get("name") or "") for f in dictionary["formats"]}
    return [
        {"format_id": fid, "format_name": name, "dictionary_name": names.get(fid) or None,
         "legal_basis": basis or None, "template": template or None,
         "first_report_year": first, "last_report_year": last,
         "has_statistics_tables": fid in TABLE_FORMATS, "sort_order": order}
        for order, (fid, name, basis, template, first, last) in enumerate(FORMATS, start=1)
    ]


def applicant_type_rows() -> list[Row]:
    """Applicant columns of table 三, plus 'not_applicable' for every other cell."""
    return [
        {"applicant_type_id": aid, "chinese_name": zh, "english_name": en,
         "applicant_group": group, "is_on_template": printed, "sort_order": order}
        for order, (aid, zh, en, group, printed) in enumerate(APPLICANT_TYPES, start=1)
    ]


_ADCODE: Final = re.compile(r"^(\d{6})0{6}$")


def region_rows(adcodes_csv: str) -> list[Row]:
    """6-digit division codes with names from cpca's ``adcodes.csv`` (12-digit codes).

    Only province, prefecture and county rows are kept (the last six digits are zero).
    """
    rows: dict[str, str] = {}
    for record in csv.DictReader(io.StringIO(adcodes_csv)):
        match = _ADCODE.match(record["adcode"].strip())
        if match:
            rows.setdefault(match[1], record["name"].strip())
    return [{"region_code": code, "region_name": rows[code]} for code in sorted(rows)]


def to_csv(rows: Iterable[Row], columns: Sequence[str]) -> str:
    """CSV text: header, one line per row, NULL as an empty field, booleans as true/false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_field(row[c]) for c in columns])
    return out.getvalue()


def _field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


REGION_SEED: Final = "reference/reference_admin_divisions.csv"


def seed_files(dictionary: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Seed path (relative to the seeds folder) → CSV text, for every generated seed."""
    doc = raw_dictionary() if dictionary is None else dictionary
    tables = {
        "dictionary/dictionary_metrics.csv": metric_rows(doc),
        "dictionary/dictionary_conformed_measures.csv": measure_rows(),
        "dictionary/dictionary_crosswalk.csv": crosswalk_rows(doc),
        "reference/reference_formats.csv": format_rows(doc),
        "reference/reference_applicant_types.csv": applicant_type_rows(),
    }
    return {path: to_csv(rows, list(rows[0])) for path, rows in tables.items()}


def write_seeds(seed_dir: Path = DEFAULT_SEED_DIR, adcodes: Path | None = None) -> list[Path]:
    """Write the generated seeds (and the division-code seed when ``adcodes`` is given)."""
    files = seed_files()
    if adcodes is not None:
        rows = region_rows(adcodes.read_text(encoding="utf-8"))
        files[REGION_SEED] = to_csv(rows, ["region_code", "region_name"])
    written = []
    for relative, text in files.items():
        path = seed_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    log.info("wrote %d seeds under %s", len(written), seed_dir)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m xxgk.crosswalk", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed-dir", type=Path, default=DEFAULT_SEED_DIR)
    parser.add_argument("--adcodes", type=Path, help="cpca/resources/adcodes.csv of cpca 0.5.5")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    write_seeds(args.seed_dir, args.adcodes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
