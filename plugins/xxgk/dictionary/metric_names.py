"""English names of the metric codes and the reference rows of the warehouse dictionary:
old-table rows named by hand, the other formats' names composed from the parts of the code.
"""

from __future__ import annotations

from typing import Final

from xxgk.core.formats import ReportFormat

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
    # provincial year_cumulative variant (Fujian): <year>年度 column; '_cumulative' = 历年累计
    "yc_act_docs": "Documents proactively disclosed (provincial)",
    "yc_act_website": "of which on government websites (provincial)",
    "yc_act_gazette": "of which in the government gazette (provincial)",
    "yc_app_received": "Applications accepted (provincial)",
    "yc_app_in_person": "Applications accepted in person (provincial)",
    "yc_app_online": "Applications accepted online (provincial)",
    "yc_app_letter_fax": "Applications accepted by letter or fax (provincial)",
    "yc_answered": "Replies to applications (provincial)",
    "yc_ans_granted": "Replies granting disclosure (provincial)",
    "yc_ans_partial": "Replies granting partial disclosure (provincial)",
    "yc_ans_denied": "Replies refusing disclosure (provincial)",
    "yc_ans_other": "Other replies (provincial)",
    "yc_fee_waived": "Disclosure fees waived, yuan (provincial)",
    "yc_complaints": "Appeals and reports received (provincial)",
    "yc_review_total": "Administrative reviews (provincial)",
    "yc_lit_total": "Administrative lawsuits (provincial)",
    # provincial year_end variant: its one 年末统计 column (the figure at the year's end)
    "ye_act_docs": "Items proactively disclosed, year-end figure (provincial)",
    "ye_act_website": "of which on government websites, year-end figure (provincial)",
    "ye_act_gazette": "of which in the government gazette, year-end figure (provincial)",
    "ye_app_received": "Applications accepted, year-end figure (provincial)",
    "ye_answered": "Replies to applications, year-end figure (provincial)",
    "ye_ans_granted": "Replies granting disclosure, year-end figure (provincial)",
    "ye_ans_partial": "Replies granting partial disclosure, year-end figure (provincial)",
    "ye_ans_denied": "Replies refusing disclosure, year-end figure (provincial)",
    "ye_review_total": "Administrative reviews, year-end figure (provincial)",
    "ye_lit_total": "Administrative lawsuits, year-end figure (provincial)",
    "ye_complaints": "Administrative appeals, year-end figure (provincial)",
}
T2_ITEMS: Final[dict[str, str]] = {
    "reg": "Regulations",
    "ndoc": "Normative documents",
    "license": "Administrative licensing",
    "othersvc": "Other external management services",
    "penalty": "Administrative penalties",
    "coercion": "Administrative coercion",
    "fee": "Administrative fees",
    "procurement": "Centralised government procurement",
}
T2_COLUMNS: Final[dict[str, str]] = {
    "new_made": "made this year",
    "new_published": "newly disclosed this year",
    "total_published": "total disclosed",
    "prev_items": "items in the previous year",
    "change": "change this year",
    "decisions": "decisions",
    "issued": "issued this year",
    "repealed": "repealed this year",
    "in_force": "in force",
    "amount": "amount (10k CNY)",
    "projects": "projects",
}
T3_ROWS: Final[dict[str, str]] = {
    "new_received": "New applications received",
    "carried_over": "Carried over from last year",
    "res_granted": "Granted",
    "res_partial": "Partly granted",
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
    "res_unable_unclear": "Unable: still unclear",
    "res_unable_subtotal": "Unable: subtotal",
    "res_notproc_petition": "Not processed: petition or complaint",
    "res_notproc_duplicate": "Not processed: duplicate",
    "res_notproc_publication": "Not processed: publication requested",
    "res_notproc_excessive": "Not processed: excessive repeated requests",
    "res_notproc_confirm_reissue": "Not processed: confirmation or reissue",
    "res_notproc_subtotal": "Not processed: subtotal",
    "res_other": "Other handling",
    "res_other_no_correction": "Other: no correction supplied",
    "res_other_fee_unpaid": "Other: fee not paid",
    "res_other_misc": "Other: miscellaneous",
    "res_other_subtotal": "Other handling: subtotal",
    "res_total": "Results total",
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
    ("not_applicable", "不适用", "Not applicable (cell outside table 三)", "not_applicable", False),
)
T4_GROUPS: Final[dict[str, str]] = {
    "review": "Administrative reviews",
    "lit_direct": "Lawsuits filed directly",
    "lit_after_review": "Lawsuits after review",
}
T4_RESULTS: Final[dict[str, str]] = {
    "upheld": "upheld",
    "corrected": "corrected",
    "other": "other outcome",
    "pending": "pending",
    "total": "total",
}
FORMATS: Final[tuple[tuple[ReportFormat, str, str, str], ...]] = (
    # id, English name, legal basis, template (the years: xxgk.core.formats.YEAR_RANGES)
    (
        "old",
        "2008 regime statistics table (政府信息公开情况统计表)",
        "《政府信息公开条例》 (国务院令第492号, in force 2008-05-01)",
        "国办发〔2014〕32号 national statistics table; provincial tables before 2014",
    ),
    (
        "v2019",
        "2019 report format, trial (年度报告格式（试行）)",
        "《政府信息公开条例》 (国务院令第711号, in force 2019-05-15)",
        "国办公开办函〔2019〕60号",
    ),
    (
        "v2021",
        "2021 report format (年度报告格式)",
        "《政府信息公开条例》 (国务院令第711号, in force 2019-05-15)",
        "国办公开办函〔2021〕30号",
    ),
    ("narrative", "Narrative only (no statistics table)", "", ""),
    ("unknown", "Unknown (not recognised)", "", ""),
)


def english_name(code: str) -> str:
    """English name of a metric code (old rows by hand, the rest composed from the code).

    Raises:
        ValueError: a part of the code has no English name.
    """
    try:
        if code.startswith("old_") and code.endswith("_cumulative"):
            return OLD_NAMES[code.removeprefix("old_").removesuffix("_cumulative")] + ", cumulative"
        if code.startswith("old_"):
            return OLD_NAMES[code.removeprefix("old_")]
        if code.startswith(("v19_t2_", "v21_t2_")):
            rest = code[len("v19_t2_") :]
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
