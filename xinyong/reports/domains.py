"""The domains of the special credit report shipped with the platform, after the lists
provinces publish under 565号 (Shanghai publishes 41). Each names the certificate it
replaces and the department codes used by the demo city and most local platforms; a city
edits the table (departments, items, order, active) in the back office. A domain whose
departments do not exist locally is not offered."""

PENALTY_ITEMS = ["administrative_penalty", "administrative_enforcement"]

# code, name, certificate replaced, department codes, extra catalog items
DEFAULT_DOMAINS = [
    ("market", "市场监管", "市场监管领域无违法违规证明", ["SCJG"], []),
    ("tax", "税务", "纳税人无欠税及税收违法证明", ["SW"], []),
    ("hrss", "人力资源和社会保障", "劳动保障守法诚信证明（社会保险、劳动用工）", ["RS"], []),
    ("housing", "住房和城乡建设", "住房城乡建设领域无违法违规证明", ["ZJ"], []),
    ("ecology", "生态环境", "生态环境领域无违法违规证明", ["HB"], []),
    ("emergency", "应急管理（安全生产）", "安全生产领域无违法违规证明", ["YJ"], []),
    ("fire", "消防安全", "消防安全领域无违法违规证明", ["XF"], []),
    ("medical_insurance", "医疗保障", "医疗保障领域无违法违规证明", ["YB"], []),
    ("housing_fund", "住房公积金", "住房公积金缴存守法证明", ["GJJ"], []),
    ("agriculture", "农业农村", "农业农村领域无违法违规证明", ["NY"], []),
    ("justice", "司法行政", "司法行政领域无违法违规证明（律师、公证、司法鉴定等）", ["SF"], []),
    ("civil_affairs", "民政", "民政领域无违法违规证明（社会组织等）", ["MZ"], []),
    ("finance", "财政（会计、政府采购）", "财政领域无违法违规证明", ["CZ"], []),
    ("public_resources", "公共资源交易", "公共资源交易领域无不良行为记录证明", ["GGZY"], []),
    ("transport", "交通运输", "交通运输领域无违法违规证明", ["JT"], []),
    ("water", "水务", "水务领域无违法违规证明", ["SL"], []),
    ("health", "卫生健康", "卫生健康领域无违法违规证明", ["WJ"], []),
    ("drugs", "药品监管", "药品监管领域无违法违规证明", ["YJJ"], []),
    ("natural_resources", "自然资源和规划", "自然资源领域无违法违规证明", ["ZRZY"], []),
    ("culture_tourism", "文化和旅游", "文化旅游领域无违法违规证明", ["WL"], []),
    ("statistics", "统计", "统计领域无违法违规证明", ["TJ"], []),
    ("customs", "海关", "海关进出口信用状况证明", ["HG"], []),
    ("public_security", "公安（治安管理）", "治安管理领域无违法违规证明", ["GA"], []),
    ("education", "教育", "教育领域无违法违规证明", ["JY"], []),
    ("commerce", "商务", "商务领域无违法违规证明", ["SWJ"], []),
    ("urban_management", "城市管理", "城市管理领域无违法违规证明", ["CG"], []),
    ("courts", "人民法院（裁判及执行）", "涉诉及被执行情况证明", ["FY"], ["judicial_judgment"]),
    ("financial", "金融（人民银行）", "金融领域无违法违规证明", ["RMYH"], []),
]
