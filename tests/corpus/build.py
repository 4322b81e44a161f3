"""Build the ERP export corpus (run once; the files are committed): ``python tests/corpus/build.py``.

Each file copies the layout real exports have (title rows, merged title cells, unit lines,
subtotal rows that repeat the customer, credit notes, ¥ and thousands separators, Excel
serial dates, float noise, several sheets); the column names are the ones the systems use:

* 用友 U8 应收明细 (应收款管理 → 单据查询): 客户编码, 客户名称, 单据日期, 单据编号, 到期日, 币种,
  应收金额, 已核销金额, 未核销金额 (the balance; ignored by the company's columns.yaml), 摘要;
* 金蝶 K3 应收款明细表: 借方/贷方 layout with a running 余额, 本期合计 and 合　计 rows, GBK;
* SAP FBL5N (Customer Line Item Display, exported to Excel): Customer, Name 1, Assignment,
  Document Number, Document Type, Document Date, Net due date, Amount in local currency,
  Local Currency, Text; credit memos (DG) negative, dates as unformatted serial numbers;
* 用友 T+ 应收账款余额表 exported in 万元 (单位：万元 in the title rows), UTF-8 with BOM;
* 用友 U8 应收明细 saved as old Excel 97-2003 (.xls, BIFF8): a merged title, 单位：元, date cells,
  a 小计 row and a 合计 row (built with xlwt, ``pip install xlwt==1.3.0``, only to make the fixture);
* SAP FBL5N through «List → Export → Local File → Spreadsheet»: tab-separated GBK text saved as .xls,
  a leading sum-marker column (``*`` customer subtotal, ``**`` grand total), dates 31.12.2026 (SAP date
  format 1), credit memos with a trailing minus (6,500.00-).

The expected outstanding per customer is written out by hand in tests/test_erp_corpus.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent


def u8_rows() -> list[list[object]]:
    """The 用友 U8 ledger's data rows (invoices, 小计 rows, credit notes, the 合计 row)."""
    return [
        [
            "01001",
            "上海甲贸易有限公司",
            datetime(2026, 6, 1),
            "0000102",
            datetime(2026, 7, 1),
            "人民币",
            1130.1100000000001,
            0,
            1130.11,
            "销售发票",
        ],
        [
            "01001",
            "上海甲贸易有限公司 ",
            datetime(2026, 7, 3),
            "0000117",
            datetime(2026, 8, 2),
            "人民币",
            25000,
            10000,
            15000,
            "销售发票",
        ],
        [
            "01001",
            "上海甲贸易有限公司",
            datetime(2026, 8, 9),
            "0000135",
            None,
            "人民币",
            -2000,
            None,
            -2000,
            "红字发票（退货）",
        ],
        ["小计", "上海甲贸易有限公司", None, None, None, None, 24130.11, 10000, 14130.11, None],
        [
            "01002",
            "北京乙科技（集团）有限公司",
            datetime(2026, 5, 20),
            "0000088",
            datetime(2026, 6, 19),
            "人民币",
            "88,000.00",
            "0",
            88000,
            "销售发票",
        ],
        [
            "01002",
            "北京乙科技(集团)有限公司",
            datetime(2026, 9, 1),
            "0000140",
            datetime(2026, 10, 1),
            "RMB",
            12345.67,
            345.67,
            12000,
            "销售发票",
        ],
        ["小计", "北京乙科技（集团）有限公司", None, None, None, None, 100345.67, 345.67, 100000, None],
        [
            "01003",
            "杭州丙商贸有限公司",
            datetime(2026, 3, 1),
            "0000051",
            datetime(2026, 4, 1),
            "人民币",
            5000,
            0,
            5000,
            "销售发票",
        ],
        [
            "01003",
            "杭州丙商贸有限公司",
            datetime(2026, 9, 15),
            "0000150",
            None,
            "人民币",
            -6200.5,
            None,
            -6200.5,
            "红字发票（折让）",
        ],
        ["小计", "杭州丙商贸有限公司", None, None, None, None, -1200.5, 0, -1200.5, None],
        ["合计", None, None, None, None, None, 123275.28, 10345.67, 112929.61, None],
    ]


def yonyou_u8() -> None:
    from openpyxl import Workbook

    book = Workbook()
    old = book.active
    old.title = "上月"  # last month's sheet, visible but not active: must not be read
    old.append(["客户编码", "客户名称", "单据编号", "到期日", "应收金额"])
    old.append(["01001", "上海甲贸易有限公司", "X-1", datetime(2026, 8, 1), 999999.99])
    sheet = book.create_sheet("应收明细")
    sheet.append(["应收账款明细表"])
    sheet.merge_cells("A1:J1")
    sheet.append(["期间：2026.01-2026.10", None, None, None, None, None, "单位：元"])
    sheet.append(
        [
            "客户编码",
            "客户名称",
            "单据日期",
            "单据编号",
            "到期日",
            "币种",
            "应收金额",
            "已核销金额",
            "未核销金额",
            "摘要",
        ]
    )
    rows = u8_rows()
    for row in rows:
        sheet.append(row)
    hidden = book.create_sheet("底稿")
    hidden.append(["客户名称", "发票号码", "到期日", "金额"])
    hidden.append(["不应读取公司", "H-1", datetime(2026, 1, 1), 1])
    hidden.sheet_state = "hidden"
    book.active = 1
    for ws in book.worksheets:
        ws.sheet_view.tabSelected = ws.title == "应收明细"
    book.save(HERE / "yonyou-u8-应收明细.xlsx")


def yonyou_u8_xls() -> None:
    """The same ledger as an old Excel 97-2003 .xls (BIFF8, what U8 and K3 still export by default),
    written by xlwt (``pip install xlwt==1.3.0`` to rebuild; not a dependency of the tool): last month's
    sheet visible, the ledger active, a hidden 底稿; a merged title, unformatted and formatted dates."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")

    def put(sheet: xlwt.Worksheet, r: int, values: list[object]) -> None:
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value, day if isinstance(value, datetime) else xlwt.Style.default_style)

    old = book.add_sheet("上月")
    put(old, 0, ["客户编码", "客户名称", "单据编号", "到期日", "应收金额"])
    put(old, 1, ["01001", "上海甲贸易有限公司", "X-1", datetime(2026, 8, 1), 999999.99])
    sheet = book.add_sheet("应收明细")
    sheet.write_merge(0, 0, 0, 9, "应收账款明细表")
    put(sheet, 1, ["期间：2026.01-2026.10", None, None, None, None, None, "单位：元"])
    put(
        sheet,
        2,
        [
            "客户编码",
            "客户名称",
            "单据日期",
            "单据编号",
            "到期日",
            "币种",
            "应收金额",
            "已核销金额",
            "未核销金额",
            "摘要",
        ],
    )
    for r, row in enumerate(u8_rows(), start=3):
        put(sheet, r, row)
    hidden = book.add_sheet("底稿")
    put(hidden, 0, ["客户名称", "发票号码", "到期日", "金额"])
    put(hidden, 1, ["不应读取公司", "H-1", datetime(2026, 1, 1), 1])
    hidden.visibility = 1
    book.active_sheet = 1
    old.set_selected(False)
    sheet.set_selected(True)
    book.save(str(HERE / "yonyou-u8-应收明细.xls"))


def kingdee_k3() -> None:
    lines = [
        "应收款明细表,,,,,,,,",
        "核算项目类别：客户,,,,,,,,",
        "币别：人民币,,,,,,,,",
        "客户,日期,单据号,摘要,到期日,币别,借方金额,贷方金额,余额",
        '深圳丁电子有限公司,2026-04-10,XSFP000231,销售发票,2026-05-10,人民币,"￥30,000.00",,"30,000.00"',
        '深圳丁电子有限公司,2026-05-12,XSFP000260,销售发票,2026-06-11,人民币,"￥12,500.50",,"42,500.50"',
        '深圳丁电子有限公司,2026-06-30,SKD000077,收款,,人民币,,"￥35,000.00","7,500.50"',
        '深圳丁电子有限公司,,,本期合计,,,"42,500.50","35,000.00","7,500.50"',
        '广州戊实业有限公司,2026-07-01,XSFP000301,销售发票,2026-08-30,人民币,"8,000.00",,"8,000.00"',
        '广州戊实业有限公司,2026-07-20,XSFP000322,销售发票,2026-09-18,人民币,"1,999.99",,"9,999.99"',
        '广州戊实业有限公司,2026-08-05,XSTH000012,销售退回（红字）,,人民币,(500.00),,"9,499.99"',
        '广州戊实业有限公司,,,本期合计,,,"9,499.99",,"9,499.99"',
        '合　计,,,,,,"52,000.49","35,000.00","17,000.49"',
    ]
    (HERE / "kingdee-k3-应收款明细表.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def sap_fbl5n() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "Customer",
            "Name 1",
            "Assignment",
            "Document Number",
            "Document Type",
            "Document Date",
            "Net due date",
            "Amount in local currency",
            "Local Currency",
            "Text",
        ]
    )
    rows = [  # dates as unformatted Excel serial numbers (46143 = 2026-05-01)
        ["100023", "苏州己精密机械有限公司", "PO-4471", "9000001201", "RV", 46143, 46173, 56500, "CNY", ""],
        ["100023", "苏州己精密机械有限公司", "PO-4490", "9000001260", "RV", 46174, 46204, 43200.8, "CNY", ""],
        [
            "100023",
            "苏州己精密机械有限公司",
            "PO-4471",
            "9000001301",
            "DG",
            46190,
            46190,
            -6500,
            "CNY",
            "Credit memo price difference",
        ],
        ["100031", "ACME (Shanghai) Trading Co., Ltd.", "PO-88", "9000001377", "RV", 46200, 46260, 18888.88, "CNY", ""],
        ["100031", "ACME (SHANGHAI) TRADING CO.,LTD.", "PO-90", "9000001388", "RV", 46210, 46270, 1111.12, "CNY", ""],
    ]
    for row in rows:
        sheet.append(row)
    book.save(HERE / "sap-fbl5n.xlsx")


def sap_fbl5n_sums() -> None:
    """FBL5N's list exported as a local file (%pc → Spreadsheet: tab-separated text in the GUI's code page,
    GBK on a Chinese desktop): title lines above the header, a blank status column first, amounts with
    thousands separators and SAP's trailing minus, dates as the user's format 2026.05.01, and the ALV
    sum lines: ``*`` after each customer (subtotal), ``**`` at the end (the total, used as control total)."""
    header = [
        "",
        "Customer",
        "Name 1",
        "Assignment",
        "Document Number",
        "Document Type",
        "Document Date",
        "Net due date",
        "Amount in local currency",
        "Local Currency",
        "Text",
    ]
    rows = [
        [
            "",
            "100023",
            "苏州己精密机械有限公司",
            "PO-4471",
            "9000001201",
            "RV",
            "2026.05.01",
            "2026.05.31",
            "56,500.00",
            "CNY",
            "",
        ],
        [
            "",
            "100023",
            "苏州己精密机械有限公司",
            "PO-4490",
            "9000001260",
            "RV",
            "2026.06.01",
            "2026.07.01",
            "43,200.80",
            "CNY",
            "",
        ],
        [
            "",
            "100023",
            "苏州己精密机械有限公司",
            "PO-4471",
            "9000001301",
            "DG",
            "2026.06.17",
            "2026.06.17",
            "6,500.00-",
            "CNY",
            "Credit memo price difference",
        ],
        ["*", "100023", "", "", "", "", "", "", "93,200.80", "CNY", ""],
        [
            "",
            "100031",
            "ACME (Shanghai) Trading Co., Ltd.",
            "PO-88",
            "9000001377",
            "RV",
            "2026.06.27",
            "2026.08.26",
            "18,888.88",
            "CNY",
            "",
        ],
        [
            "",
            "100031",
            "ACME (SHANGHAI) TRADING CO.,LTD.",
            "PO-90",
            "9000001388",
            "RV",
            "2026.07.07",
            "2026.09.05",
            "1,111.12",
            "CNY",
            "",
        ],
        ["*", "100031", "", "", "", "", "", "", "20,000.00", "CNY", ""],
        ["**", "", "", "", "", "", "", "", "113,200.80", "CNY", ""],
    ]
    lines = ["Customer Line Item Display", "", "Company Code 1000  Shanghai", "", "\t".join(header)]
    lines += ["\t".join(row) for row in rows]
    (HERE / "sap-fbl5n-小计.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def tplus_wan() -> None:
    lines = [
        "应收账款余额表",
        "单位：万元,,,,",
        "客户名称,发票号码,开票日期,到期日,金额,已收金额",
        "南京庚建材有限公司,31870001,2026-02-01,2026-03-03,12.35,2.35",
        "南京庚建材有限公司,31870002,2026-03-01,2026-03-31,0.8765,0",
        '无锡辛物流有限公司,31870010,2026-05-01,2026-05-31,"1,234.5678",1000',
        '合计,,,,"1,247.7943",1002.35',
    ]
    (HERE / "tplus-应收余额-万元.csv").write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def yonyou_u8_2003_xls() -> None:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("应收明细")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    money = xlwt.easyxf(num_format_str="#,##0.00")
    sheet.write_merge(0, 0, 0, 7, "应收账款明细表")
    sheet.write(1, 0, "期间：2026.01-2026.10")
    sheet.write(1, 6, "单位：元")
    for col, name in enumerate(
        ["客户编码", "客户名称", "单据日期", "单据编号", "到期日", "币种", "应收金额", "已核销金额"]
    ):
        sheet.write(2, col, name)
    rows = [
        [
            "02001",
            "宁波壬五金制品有限公司",
            datetime(2026, 4, 1),
            "0000201",
            datetime(2026, 5, 1),
            "人民币",
            12345.67,
            2345.67,
        ],
        ["02001", "宁波壬五金制品有限公司", datetime(2026, 6, 1), "0000233", datetime(2026, 7, 1), "人民币", 8000, 0],
        ["", "小计", None, None, None, None, 20345.67, 2345.67],
        [
            "02002",
            "合肥癸新材料有限公司",
            datetime(2026, 7, 15),
            "0000251",
            datetime(2026, 8, 14),
            "人民币",
            30000.1,
            0,
        ],
        ["合计", None, None, None, None, None, 50345.77, 2345.67],
    ]
    for number, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write(number, col, value, day)
            elif isinstance(value, float | int):
                sheet.write(number, col, value, money)
            elif value is not None:
                sheet.write(number, col, value)
    book.save(str(HERE / "yonyou-u8-应收明细-2003.xls"))


def sap_fbl5n_spreadsheet() -> None:
    lines = [
        "\tCustomer\tName 1\tAssignment\tDocumentNo\tType\tDoc. Date\tNet due dt\tAmount in LC\tLCurr\tText",
        "\t100051\t温州子电气有限公司\tPO-5101\t9000002101\tRV\t02.03.2026\t01.04.2026\t45,000.00\tCNY\t",
        "\t100051\t温州子电气有限公司\tPO-5133\t9000002140\tRV\t10.04.2026\t10.05.2026\t12,000.50\tCNY\t",
        "\t100051\t温州子电气有限公司\tPO-5101\t9000002177\tDG\t20.04.2026\t20.04.2026\t3,000.00-\tCNY\t价差",
        "*\t100051\t\t\t\t\t\t\t54,000.50\tCNY\t",
        "\t100062\t厦门丑食品有限公司\tPO-77\t9000002201\tRV\t05.06.2026\t05.07.2026\t7,777.77\tCNY\t",
        "*\t100062\t\t\t\t\t\t\t7,777.77\tCNY\t",
        "**\t\t\t\t\t\t\t\t61,778.27\tCNY\t",
    ]
    (HERE / "sap-fbl5n-spreadsheet.xls").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


if __name__ == "__main__":
    yonyou_u8()
    yonyou_u8_xls()
    kingdee_k3()
    sap_fbl5n()
    sap_fbl5n_sums()
    tplus_wan()
    yonyou_u8_2003_xls()
    sap_fbl5n_spreadsheet()
