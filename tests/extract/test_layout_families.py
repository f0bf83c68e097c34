"""One test per layout family the reader used to miss on unseen reports (issue 15), each
written the way real copies print it."""

from __future__ import annotations

from typing import Any

from xxgk.extract import extract_bytes
from xxgk.extract.detect import detect_format

HEAD = (
    "某乡人民政府2021年政府信息公开工作年度报告\n"
    "本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n"
)
NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"


def _extract(body: str, head: str = HEAD) -> dict[str, Any]:
    return extract_bytes((head + body).encode("utf-8"), "family.txt")


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {c["metric"]: c["value"] for c in rec["cells"] if c["metric"]}


def _ambiguous(rec: dict[str, Any]) -> list[str]:
    return [i["message"] for i in rec["issues"] if i["code"] == "column_ambiguous"]


def test_cell_lines_with_lone_pipe_row_openers_and_padded_captions() -> None:
    # each row opened by a lone '|'; captions padded to the table's width with pipes
    rows = [
        "第二十条第(一)项 | | | |",
        "|",
        "信息内容 |",
        "本年制发件数 |",
        "本年废止件数 |",
        "现行有效件数 |",
        "|",
        "规章 |",
        "0 |",
        " |",
        "0 |",
        "|",
        "行政规范性文件 |",
        "3 |",
        "1 |",
        "25 |",
        "第二十条第(五)项 | | | |",
        "|",
        "信息内容 |",
        "本年处理决定数量 |",
        "|",
        "行政许可 |",
        "118 |",
        "第二十条第(六)项 | | | |",
        "|",
        "信息内容 |",
        "本年处理决定数量 |",
        "|",
        "行政处罚 |",
        "7 |",
        "|",
        "行政强制 |",
        "0 |",
        "第二十条第(八)项 | | | |",
        "|",
        "信息内容 |",
        "本年收费金额(单位:万元) |",
        "|",
        "行政事业性收费 |",
        "0 |",
    ]
    rec = _extract(
        "二、主动公开政府信息情况\n" + "\n".join(rows) + "\n三、收到和处理政府信息公开申请情况\n"
    )
    values = _values(rec)
    assert rec["format"] == "v2021"
    assert (values["v21_t2_reg_issued"], values["v21_t2_reg_repealed"]) == (0, None)
    assert values["v21_t2_ndoc_in_force"] == 25
    assert (values["v21_t2_license_decisions"], values["v21_t2_penalty_decisions"]) == (118, 7)
    assert not _ambiguous(rec)


def test_pipe_cells_holding_line_breaks_and_padding() -> None:
    rec = _extract(
        "三、收到和处理政府信息公开申请情况\n"
        f"  {NOTE}  |  申请人情况  |\n"
        "  自然人  |  法人或其他组织  |  总计  |\n"
        "  商业\n企业  |  科研\n机构  |  社会公益\n组织  |  法律服务\n机构  |  其他  |\n"
        "  一、本年新收政府信息\n公开申请数量  |  12  |  1  |  0  |  0  |  0  |  2  |  15  |\n"
        "  二、上年结转政府信息\n公开申请数量  |  1  |    |    |    |    |    |  1  |\n"
        "  三、本年度办理结果  |  (一)予以公开  |  5  |  1  |  0  |  0  |  0  |  1  |  7  |\n"
        "  |  (二)部分公开(区分处理的,只计这一情\n形,不计其他情形)  |  2  |  0  |  0  |  0  |  0  |"
        "  0  |  2  |\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    values = _values(rec)
    assert values["t3_new_received__natural_person"] == 12
    assert values["t3_new_received__total"] == 15
    assert values["t3_carried_over__org_commercial"] is None  # a padded blank, not 0
    assert values["t3_carried_over__total"] == 1
    assert (values["t3_res_granted__total"], values["t3_res_partial__natural_person"]) == (7, 2)
    assert not _ambiguous(rec)


def test_pdf_text_layer_with_table_four_headers_one_character_per_line() -> None:
    heads = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结".split()
    stacked = [ch for h in heads for ch in h] + [
        "总计未",
        "经",
        "复",
        "议",
        "直",
        "接",
        "起",
        "诉",
        "复",
        "议",
        "后",
        "起",
        "诉",
    ]
    stacked += [ch for h in ("结果维持", "结果纠正", "其他结果", "尚未审结") for ch in h]
    stacked += [
        "总计结",
        "果",
        "维",
        "持",
        "结",
        "果",
        "纠",
        "正",
        "其",
        "他",
        "结",
        "果",
        "尚",
        "未",
        "审",
        "结",
        "总计",
    ]
    rec = _extract(
        "四、政府信息公开行政复议、行政诉讼情况\n"
        + "\n".join(stacked)
        + "\n2 1 0 0 3 1 0 0 0 1 0 0 0 0 0\n五、存在的主要问题及改进情况\n",
        head=HEAD
        + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n",
    )
    values = _values(rec)
    assert (values["t4_review_upheld"], values["t4_review_corrected"]) == (2, 1)
    assert values["t4_review_total"] == 3
    assert (values["t4_lit_direct_upheld"], values["t4_lit_direct_total"]) == (1, 1)
    assert values["t4_lit_after_review_total"] == 0


def test_labels_only_flattening_assigns_only_what_the_counts_fix() -> None:
    # blank cells leave no placeholder; the copy is cut in the middle of a label
    body = "\n".join(
        [
            "二、主动公开政府信息情况",
            "第二十条第(一)项",
            "信息内容",
            "本年新",
            "制发数量",
            "废止数量",
            "现行有效数量",
            "规章",
            "0",
            "规范性文件",
            "第二十条第(五)项",
            "本年处理决定数量",
            "行政许可",
            "270",
            "第二十条第(六)项",
            "行政处罚",
            "2",
            "行政强制",
            "三是收到和处理政府信息公开申请情况",
            NOTE,
            "申请人情况",
            "自然人",
            "法人或其他组织",
            "总计",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "一、本年新收政府信息公开申请数量",
            "二、上年结转政府信息公开申请数量",
            "三、本年度办理结果",
            "(一)予以公开",
            "(五)不予处理",
            "1.信访举报投诉类申请",
            "2.重复申",
        ]
    )
    rec = _extract(body + "\n")
    values = _values(rec)
    assert "v21_t2_reg_issued" not in values  # one value for three columns
    assert any("规章" in m for m in _ambiguous(rec))
    assert values["v21_t2_ndoc_issued"] is None  # no value at all: every cell blank
    assert (values["v21_t2_license_decisions"], values["v21_t2_penalty_decisions"]) == (270, 2)
    assert values["v21_t2_coercion_decisions"] is None
    assert values["t3_res_notproc_petition__total"] is None  # the row before the cut label


def test_wrapped_labels_keep_digits_of_their_annotation_out_of_the_values() -> None:
    rec = _extract(
        "政府信息公开情况统计表\n统计指标\n单位\n统计数\n一、主动公开情况\n——\n507\n"
        "(一)主动公开政府信息数(不\n同渠道和方式公开相同信息计1\n条)\n条 507\n"
        "1.参加或举办新闻发布会总次\n数\n次\n其中:主要负责同志参加新闻发\n布会次数\n次 2\n"
        "单位负责人:张三\n",
        head="某县水利局2016年政府信息公开工作年度报告\n",
    )
    values = _values(rec)
    assert rec["format"] == "old"
    assert values["old_act_info_total"] == 507  # not the 1 of '计1条'
    assert values["old_resp_press_conf"] is None  # its own row is blank
    assert values["old_resp_press_conf_principal"] == 2


def test_header_words_split_traditional_script_inline_pinyin_and_full_width() -> None:
    rec = _extract(
        "二、主動公開政府信息情況\n第二十條 第(一)項 |\n信息\n內容 |\n本(běn)年新\n制作數量 |\n"
        "本年新\n公開數量 |\n對外公\n開總數量 |\n規(guī)章 |\n０ |\n０ |\n０ |\n"
        "規(guī)範(fàn)性文件 |\n１２ |\n１２ |\n１０４ |\n"
        "三、收到和處理政府信息公開申請情況\n",
        head="某縣統計局2019年政府信息公開工作年度報告\n",
    )
    values = _values(rec)
    assert rec["format"] == "v2019"
    assert values["v19_t2_reg_new_made"] == 0
    assert (values["v19_t2_ndoc_new_made"], values["v19_t2_ndoc_total_published"]) == (12, 104)


def test_pipe_separated_rows_without_a_closing_pipe_keep_a_blank_last_cell() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n第二十条第(一)项\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n"
        "规章 | 0 | 0 | 0\n行政规范性文件 | 4 | 1 | \n第二十条第(五)项\n"
        "信息内容 | 本年处理决定数量\n行政许可 | 31\n三、收到和处理政府信息公开申请情况\n"
    )
    values = _values(rec)
    assert (values["v21_t2_ndoc_issued"], values["v21_t2_ndoc_repealed"]) == (4, 1)
    assert values["v21_t2_ndoc_in_force"] is None
    assert values["v21_t2_license_decisions"] == 31


def test_a_table_on_one_long_line_is_not_narrative_but_prose_quoting_a_label_is() -> None:
    one_line = (
        "二、主动公开政府信息情况。第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件693三、收到和处理政府信息公开申请情况。本年新收政府信息公开申请数量"
    )
    assert detect_format(one_line, 2021) == "v2021"
    prose = (
        "二、政府信息公开数据。2015年主动公开政府信息数179条，其中全文电子化率达100%，"
        "公开内容涵盖机构职能、政策文件、规划计划等方面。报告后附政府信息公开情况统计表。"
    )
    assert detect_format(prose, 2015) == "narrative"


def test_pdf_values_beside_the_first_line_of_a_wrapped_label() -> None:
    rec = _extract(
        "三、收到和处理政府信息公开申请情况\n"
        + NOTE
        + "\n申请人情况\n自然人\n法人或其他组织\n总计\n"
        "商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n"
        "一、本年新收政府信息公开申请数量 3 1 0 0 0 0 4\n"
        "(六)其他处理\n"
        "1.申请人无正当理由逾期不补 1 0 0 0 0 0 1\n正、行政机关不再处理其政府信\n息公开申请\n"
        "2.申请人逾期未按收费通知要 0 0 0 0 0 0 0\n"
        "求缴纳费用、行政机关不再处理\n其政府信息公开申请\n"
        "3.其他 0 0 0 0 0 0 0\n(七)总计 1 0 0 0 0 0 1\n"
        "四、政府信息公开行政复议、行政诉讼情况\n",
    )
    values = _values(rec)
    assert values["t3_new_received__total"] == 4
    assert values["t3_res_other_no_correction__natural_person"] == 1
    assert values["t3_res_other_fee_unpaid__total"] == 0  # not started early by '息公开申请'
    assert values["t3_res_total__total"] == 1
    assert not _ambiguous(rec)


def test_a_copy_cut_after_table_two_is_a_table_report_not_narrative() -> None:
    cut = (
        "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n本年新\n制发数量\n废止数量\n"
        "现行有效数量\n规章\n0\n行政规范性文件\n3\n"
    )
    assert detect_format(HEAD + cut, 2021) == "v2021"
    assert detect_format(cut, None) == "unknown"  # tables there, their format undecided


def test_a_table_flattened_onto_one_line_keeps_a_row_whose_cells_are_all_blank() -> None:
    rec = _extract(
        "二、主动公开政府信息情况\n"
        "第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 "
        "行政规范性文件 2 0 14 第二十条第(五)项 信息内容 本年处理决定数量 行政许可 "
        "第二十条第(六)项 信息内容 本年处理决定数量 行政处罚 5 行政强制 0\n"
        "三、收到和处理政府信息公开申请情况\n"
    )
    values = _values(rec)
    assert values["v21_t2_ndoc_in_force"] == 14
    assert values["v21_t2_license_decisions"] is None  # printed with no value
    assert (values["v21_t2_penalty_decisions"], values["v21_t2_coercion_decisions"]) == (5, 0)
