"""Values of real reports (SPEC Appendix A, §7.2) for the reference-evaluator tests.

Blank cells are omitted (= NULL), zeros are printed zeros.
"""

from __future__ import annotations

# SEED001 (old, 台州市经济和信息化委员会 2017), SPEC Appendix A; blank cells omitted.
SEED001: dict[str, float] = {
    "old_s1_header_total": 492,
    "old_act_info_total": 492,
    "old_act_ndoc_published": 1,
    "old_act_ndoc_issued": 1,
    "old_act_ch_website": 426,
    "old_act_ch_weibo": 66,
    "old_s2_header_total": 12,
    "old_resp_channels_total": 10,
    "old_resp_press_conf_principal": 2,
    "old_resp_interpretations": 8,
    "old_s3_header_total": 5,
    "old_app_received": 5,
    "old_app_recv_online": 5,
    "old_app_closed": 5,
    "old_app_closed_on_time": 2,
    "old_app_closed_extended": 3,
    "old_app_answered": 5,
    "old_ans_already_public": 1,
    "old_ans_partial": 2,
    "old_ans_not_this_agency": 2,
    "old_review_total": 2,
    "old_review_other": 2,
    "old_lit_total": 0,
    "old_complaints_total": 0,
    "old_fees_collected": 0,
    "old_org_dedicated_units": 1,
    "old_org_staff_parttime": 1,
    "old_org_special_funds": 2,
    "old_s9_header_total": 2,
    "old_train_trainees": 2,
}

T3_COLUMNS = (
    "natural_person",
    "org_commercial",
    "org_research",
    "org_social_welfare",
    "org_legal_service",
    "org_other",
    "total",
)


def shanghai_2019_t3() -> dict[str, float]:
    """Tables 三/四 of the Shanghai 2019 report [R-SH2019], SPEC §7.2, partly reconstructed.

    Stated: 859 + 18 = 805 + 72 (总计); 821 + 18 = 767 + 72 (自然人); （七） 767 + 35 + 2 + 1
    = 805; （四） 321 + 15 + 1; 总计 blank on every result row; 2 reviews and 1 lawsuit
    尚未审结. The split of the 法人 columns and the （六） row are filled in to balance.
    """
    return {
        "t3_new_received__natural_person": 821,
        "t3_new_received__org_commercial": 35,
        "t3_new_received__org_research": 2,
        "t3_new_received__org_other": 1,
        "t3_new_received__total": 859,
        "t3_carried_over__natural_person": 18,
        "t3_carried_over__total": 18,
        "t3_res_granted__natural_person": 272,
        "t3_res_partial__natural_person": 3,
        "t3_res_unable_not_held__natural_person": 321,
        "t3_res_unable_needs_creation__natural_person": 15,
        "t3_res_unable_unclear__natural_person": 1,
        "t3_res_other__natural_person": 155,
        "t3_res_total__natural_person": 767,
        "t3_res_granted__org_commercial": 35,
        "t3_res_total__org_commercial": 35,
        "t3_res_granted__org_research": 2,
        "t3_res_total__org_research": 2,
        "t3_res_partial__org_other": 1,
        "t3_res_total__org_other": 1,
        "t3_res_total__total": 805,
        "t3_carried_forward__natural_person": 72,
        "t3_carried_forward__total": 72,
        "t4_review_pending": 2,
        "t4_review_total": 2,
        "t4_lit_direct_pending": 1,
        "t4_lit_direct_total": 1,
    }


# SEED002 (old, Guizhou 2016; every printed cell, zeros included), SPEC Appendix A.
SEED002: dict[str, float] = {
    "old_act_info_total": 645, "old_act_ndoc_published": 0, "old_act_ndoc_issued": 0,
    "old_act_channels_total": 976, "old_act_ch_gazette": 0, "old_act_ch_website": 927,
    "old_act_ch_weibo": 12, "old_act_ch_wechat": 37, "old_act_ch_other": 0,
    "old_act_proposals_total": 0, "old_act_prop_npc": 0, "old_act_prop_cppcc": 0,
    "old_s2_header_total": 19, "old_resp_hotspots": 2, "old_resp_channels_total": 17,
    "old_resp_press_conf": 1, "old_resp_press_conf_principal": 1, "old_resp_interview": 0,
    "old_resp_interview_principal": 0, "old_resp_interpretations": 14,
    "old_resp_weibo_wechat": 1, "old_resp_other": 1, "old_s3_header_total": 1,
    "old_app_received": 1, "old_app_recv_in_person": 0, "old_app_recv_fax": 0,
    "old_app_recv_online": 1, "old_app_recv_letter": 0, "old_app_closed": 1,
    "old_app_closed_on_time": 1, "old_app_closed_extended": 0, "old_app_answered": 1,
    "old_ans_already_public": 0, "old_ans_granted": 1, "old_ans_partial": 0, "old_ans_denied": 0,
    "old_den_state_secret": 0, "old_den_commercial_secret": 0, "old_den_privacy": 0,
    "old_den_security_stability": 0, "old_den_not_gov_info": 0, "old_den_other_legal": 0,
    "old_ans_not_this_agency": 0, "old_ans_not_exist": 0, "old_ans_notice_amend": 0,
    "old_ans_notice_other_route": 0, "old_review_total": 0, "old_review_upheld": 0,
    "old_review_corrected": 0, "old_review_other": 0, "old_lit_total": 0, "old_lit_upheld": 0,
    "old_lit_corrected": 0, "old_lit_other": 0, "old_complaints_total": 0,
    "old_fees_collected": 0, "old_org_dedicated_units": 1, "old_org_reading_points": 1,
    "old_org_staff_total": 1, "old_org_staff_fulltime": 0, "old_org_staff_parttime": 1,
    "old_org_special_funds": 2, "old_train_meetings": 2, "old_train_classes": 2,
    "old_train_trainees": 6,
}  # fmt: skip
