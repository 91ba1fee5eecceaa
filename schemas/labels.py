"""Row labels of the two-sided summaries (收支总表, 财政拨款收支总表) that the parsers and the validators both name.

They are record keys (label keys, normalised: no numbering, no spaces) in every region's wording; the
parser recognises rows by them and the checks tie and sum the same rows, so the two read one list.
"""

from __future__ import annotations

# money carried into next year on the expenditure side (结转下年 and its regional wordings)
CARRY_FORWARD_LABELS = ("结转下年", "年末结转", "结余分配", "年末结余", "结转和结余")

# the parts of a budget by purpose: they add up to the total of a 财政拨款收支总表's expenditure side
BUDGET_PURPOSES = ("基本支出", "项目支出", "单位预留机动经费", "预留机动经费")

# the other rows a 支出用途 side may print beside the budget purposes (units with 事业 income)
OTHER_PURPOSES = ("事业单位经营支出", "上缴上级支出", "对附属单位补助支出")
