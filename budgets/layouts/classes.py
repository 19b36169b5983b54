"""The classification facts the layouts rely on: the 类 that summary tables print by name only,
and which economic classes are 人员经费.

The summary tables (预算表1、表4, 决算公开01、公开04) list every 类 of the functional
classification by name, numbered as printed; their codes are matched by name. Names and codes
are those of the government revenue and expenditure classification (政府收支分类科目); a 类
renamed or added in a later year is added here.
"""

FUNCTIONAL_CLASSES = {
    "一般公共服务支出": "201",
    "外交支出": "202",
    "国防支出": "203",
    "公共安全支出": "204",
    "教育支出": "205",
    "科学技术支出": "206",
    "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208",
    "卫生健康支出": "210",
    "节能环保支出": "211",
    "城乡社区支出": "212",
    "农林水支出": "213",
    "交通运输支出": "214",
    "资源勘探工业信息等支出": "215",
    "商业服务业等支出": "216",
    "金融支出": "217",
    "援助其他地区支出": "219",
    "自然资源海洋气象等支出": "220",
    "住房保障支出": "221",
    "粮油物资储备支出": "222",
    "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224",
    "其他支出": "229",
    "债务还本支出": "231",
    "债务付息支出": "232",
    "债务发行费用支出": "233",
    "抗疫特别国债安排的支出": "234",
}

# 人员经费 are economic classes 301 and 303, 公用经费 302 and 310 (both kinds of publication).
PERSONNEL_CLASSES = {"301", "303"}


def economic_expense_class(code: str) -> str:
    """ "personnel" or "public": the expense class of an economic subject code."""
    return "personnel" if code[:3] in PERSONNEL_CLASSES else "public"


def class_code(label: str) -> str:
    """The 类 code of a summary-table row such as "六、社会保障和就业支出" or "（六）社会保障…"."""
    name = label.split("、", 1)[-1].split("）", 1)[-1].replace(" ", "")
    return FUNCTIONAL_CLASSES[name]
