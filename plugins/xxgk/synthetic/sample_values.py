"""Values of the demo corpus: plausible, internally consistent table cells drawn from a
seeded ``random.Random`` (every arithmetic rule of metrics.yaml holds)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from xxgk.synthetic.sample_tables import T3_COLUMNS, Cells, on_form, t3_rows

# How many applications each applicant column receives in a year (natural persons: per report).
ORG_SIZES: Final = {
    "org_commercial": (0, 1, 2, 3, 5),
    "org_research": (0,),
    "org_social_welfare": (0, 0, 1),
    "org_legal_service": (0, 1, 2),
    "org_other": (0, 0, 1),
}
# Relative frequency of each handling result; unlisted result rows get weight 1.
RESULT_WEIGHTS: Final = {
    "res_granted": 14,
    "res_partial": 4,
    "res_unable_not_held": 6,
    "res_notproc_duplicate": 2,
    "res_other": 2,
    "res_other_misc": 2,
    "res_other_no_correction": 2,
}


# --- values ----------------------------------------------------------------------------------

OLD_LEAVES: Final = {
    "old_act_ch_gazette": (0, 15),
    "old_act_ch_website": (250, 700),
    "old_act_ch_weibo": (10, 90),
    "old_act_ch_wechat": (10, 90),
    "old_act_ch_other": (0, 6),
    "old_act_ndoc_issued": (2, 9),
    "old_act_prop_npc": (0, 12),
    "old_act_prop_cppcc": (0, 15),
    "old_resp_hotspots": (1, 6),
    "old_resp_press_conf": (1, 4),
    "old_resp_interview": (0, 3),
    "old_resp_interpretations": (5, 20),
    "old_resp_weibo_wechat": (0, 8),
    "old_resp_other": (0, 3),
    "old_ans_already_public": (0, 4),
    "old_ans_granted": (3, 12),
    "old_ans_partial": (0, 3),
    "old_den_state_secret": (0, 1),
    "old_den_commercial_secret": (0, 1),
    "old_den_privacy": (0, 2),
    "old_den_security_stability": (0, 1),
    "old_den_not_gov_info": (0, 2),
    "old_den_other_legal": (0, 1),
    "old_ans_not_this_agency": (0, 3),
    "old_ans_not_exist": (0, 2),
    "old_ans_notice_amend": (0, 1),
    "old_ans_notice_other_route": (0, 2),
    "old_review_upheld": (0, 2),
    "old_review_corrected": (0, 1),
    "old_review_other": (0, 1),
    "old_lit_upheld": (0, 1),
    "old_lit_corrected": (0, 1),
    "old_lit_other": (0, 1),
    "old_complaints_total": (0, 0),
    "old_fees_collected": (0, 0),
    "old_org_dedicated_units": (1, 1),
    "old_org_reading_points": (1, 3),
    "old_org_staff_fulltime": (1, 2),
    "old_org_staff_parttime": (1, 4),
    "old_train_meetings": (1, 4),
    "old_train_classes": (1, 3),
    "old_train_trainees": (10, 60),
}


def _sum(v: dict[str, int], *codes: str) -> int:
    return sum(v[c] for c in codes)


def old_cells(rng: random.Random, blank: Sequence[str]) -> Cells:
    """Old 统计表 values: leaves drawn at random (0 where the cell will be blank), totals summed."""
    v = {c: 0 if c in blank else rng.randint(lo, hi) for c, (lo, hi) in OLD_LEAVES.items()}
    channels = [f"old_act_ch_{k}" for k in ("gazette", "website", "weibo", "wechat", "other")]
    v["old_act_channels_total"] = _sum(v, *channels)
    # （一） counts an item published through several channels once: at most the channel sum.
    info = _sum(v, channels[0], channels[1]) + rng.randint(0, v[channels[2]])
    v["old_act_info_total"] = v["old_s1_header_total"] = info
    v["old_act_ndoc_published"] = v["old_act_ndoc_issued"] - rng.randint(0, 1)
    v["old_act_proposals_total"] = _sum(v, "old_act_prop_npc", "old_act_prop_cppcc")
    for sub in ("press_conf", "interview"):
        v[f"old_resp_{sub}_principal"] = rng.randint(0, v[f"old_resp_{sub}"])
    resp = ("press_conf", "interview", "interpretations", "weibo_wechat", "other")
    v["old_resp_channels_total"] = _sum(v, *(f"old_resp_{k}" for k in resp))
    v["old_s2_header_total"] = v["old_resp_hotspots"] + v["old_resp_channels_total"]
    v["old_ans_denied"] = sum(v[c] for c in OLD_LEAVES if c.startswith("old_den_"))
    received = sum(v[c] for c in v if c.startswith("old_ans_"))
    for key in ("old_app_received", "old_app_closed", "old_app_answered", "old_s3_header_total"):
        v[key] = received
    recv = [f"old_app_recv_{k}" for k in ("in_person", "fax", "online", "letter")]
    live = [c for c in recv if c not in blank]
    v.update(dict.fromkeys(recv, 0))
    for code in rng.choices(live, weights=[6 if "online" in c else 1 for c in live], k=received):
        v[code] += 1
    v["old_app_closed_extended"] = rng.randint(0, min(2, received))
    v["old_app_closed_on_time"] = received - v["old_app_closed_extended"]
    for group in ("review", "lit"):
        v[f"old_{group}_total"] = _sum(
            v, *(f"old_{group}_{k}" for k in ("upheld", "corrected", "other"))
        )
    v["old_org_staff_total"] = v["old_org_staff_fulltime"] + v["old_org_staff_parttime"]
    cells: Cells = {m["code"]: v.get(m["code"]) for m in on_form("old")}
    cells["old_org_special_funds"] = round(rng.uniform(0.5, 6.0), 1)
    return _blank(cells, blank)


def _blank(cells: Cells, codes: Sequence[str]) -> Cells:
    """Leave cells blank; a blanked non-header cell must be a zero, so the sums still hold."""
    headers = {
        "old_s1_header_total",
        "old_act_channels_total",
        "old_act_proposals_total",
        "old_s2_header_total",
        "old_resp_channels_total",
        "old_s3_header_total",
    }
    for code in codes:
        if cells[code] not in (0, None) and code not in headers:
            raise ValueError(f"{code} = {cells[code]} cannot be left blank")
        cells[code] = None
    return cells


def t3_cells(
    rng: random.Random, fmt: str, natural: int, carried_over: dict[str, int] | None
) -> tuple[Cells, dict[str, int]]:
    """Table 三, balanced per column; returns the cells and the carried-forward column values."""
    keys = t3_rows(fmt)
    results = [k for k in keys if k.startswith("res_") and k != "res_total"]
    weights = [RESULT_WEIGHTS.get(k, 1) for k in results]
    v: dict[str, int] = {}
    forward: dict[str, int] = {}
    for col in T3_COLUMNS:
        n = natural if col == "natural_person" else rng.choice(ORG_SIZES[col])
        counts = dict.fromkeys(results, 0)
        for key in rng.choices(results, weights, k=n):
            counts[key] += 1
        if carried_over is not None:
            over = carried_over[col]
        else:
            over = rng.randint(0, 2) if col == "natural_person" else 0
        fwd = rng.randint(0, 3) if col == "natural_person" else min(n, rng.randint(0, 1))
        counts["res_granted"] += max(0, over - n - fwd)
        total = sum(counts.values())
        column = {
            "new_received": total + fwd - over,
            "carried_over": over,
            **counts,
            "res_total": total,
            "carried_forward": fwd,
        }
        v.update({f"t3_{key}__{col}": column[key] for key in keys})
        forward[col] = fwd
    cells: Cells = {}
    for key in keys:
        row = [v[f"t3_{key}__{col}"] for col in T3_COLUMNS]
        cells.update({f"t3_{key}__{col}": n for col, n in zip(T3_COLUMNS, row, strict=True)})
        cells[f"t3_{key}__total"] = sum(row)
    return cells, forward


def t4_cells(rng: random.Random, busy: bool) -> Cells:
    cells: Cells = {}
    for group, high in (("review", 2), ("lit_direct", 1), ("lit_after_review", 1)):
        parts = [rng.randint(0, high if busy else 0) for _ in range(4)]
        for result, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"t4_{group}_{result}"] = n
        cells[f"t4_{group}_total"] = sum(parts)
    return cells


@dataclass
class Series:
    """What one agency carries from one year's report into the next."""

    items: dict[str, int] = field(
        default_factory=lambda: {
            "license": 46,
            "othersvc": 12,
            "penalty": 21,
            "coercion": 4,
            "fee": 3,
        }
    )
    ndoc_total: int = 38
    in_force: int = 35
    forward: dict[str, int] | None = None


def v19_t2_cells(rng: random.Random, s: Series, changes: dict[str, int], amount: float) -> Cells:
    made = rng.randint(2, 6)
    published = made - rng.randint(0, 1)
    s.ndoc_total += published
    cells: Cells = {
        "v19_t2_reg_new_made": 0,
        "v19_t2_reg_new_published": 0,
        "v19_t2_reg_total_published": 0,
        "v19_t2_ndoc_new_made": made,
        "v19_t2_ndoc_new_published": published,
        "v19_t2_ndoc_total_published": s.ndoc_total,
    }
    decisions = {"license": (20, 160), "othersvc": (0, 30), "penalty": (3, 40), "coercion": (0, 5)}
    for item in ("license", "othersvc", "penalty", "coercion", "fee"):
        prev = s.items[item]
        change = max(-prev, changes.get(item, rng.choice((-1, 0, 0, 1, 2))))
        cells[f"v19_t2_{item}_prev_items"] = prev
        cells[f"v19_t2_{item}_change"] = change
        if item in decisions:
            cells[f"v19_t2_{item}_decisions"] = rng.randint(*decisions[item])
        s.items[item] = prev + change
    cells["v19_t2_procurement_projects"] = rng.randint(2, 9)
    cells["v19_t2_procurement_amount"] = amount
    return {m["code"]: cells[m["code"]] for m in on_form("v2019") if m["code"] in cells}


def v21_t2_cells(rng: random.Random, s: Series, fee_amount: float) -> Cells:
    issued, repealed = rng.randint(1, 5), rng.randint(0, 3)
    s.in_force += issued - repealed
    return {
        "v21_t2_reg_issued": 0,
        "v21_t2_reg_repealed": 0,
        "v21_t2_reg_in_force": 0,
        "v21_t2_ndoc_issued": issued,
        "v21_t2_ndoc_repealed": repealed,
        "v21_t2_ndoc_in_force": s.in_force,
        "v21_t2_license_decisions": rng.randint(20, 160),
        "v21_t2_penalty_decisions": rng.randint(3, 40),
        "v21_t2_coercion_decisions": rng.randint(0, 5),
        "v21_t2_fee_amount": fee_amount,
    }
