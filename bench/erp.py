"""Benchmark of reading big ERP exports: ``playbook ladder`` and ``letters --dry-run``.

Generates a GBK CSV like a 用友/金蝶 export (a title row with 单位：元, a header,
rows sorted by customer, one to five invoices per customer, a credit note now and
then, a 合计 row at the end that equals the sum) at each size, then runs, each in a
fresh process:

* ``playbook ladder FILE --as-of 2026-12-31 --out plan.csv``
* ``playbook letters FILE --template reminder-1 --dry-run --date 2026-12-31`` (stdout discarded)

and reports wall seconds and the peak resident memory of the process (``ru_maxrss``).
``--tree DIR`` runs the commands of another checkout (e.g. the code before a change,
``git archive COMMIT | tar -x -C DIR``), so before and after are measured in one run:

    .venv/bin/python bench/erp.py                               # 100,000 and 1,000,000 rows
    .venv/bin/python bench/erp.py --sizes 100000 --tree /tmp/before --tree .

Prints a Markdown table (for docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEADER = "客户名称,联系人,地址,合同编号,发票号码,开票日期,到期日,金额,已付金额\n"


def make_csv(path: Path, rows: int, *, credits: bool) -> None:
    """``rows`` invoice rows (GBK), grouped by customer, with a title row and a 合计 row."""
    total = Decimal(0)
    paid_total = Decimal(0)
    with path.open("w", encoding="gbk", newline="") as handle:
        handle.write("应收账款明细表,,,,,,,,\n单位：元,,,,,,,,\n" if credits else "")
        handle.write(HEADER)
        written = customer = 0
        while written < rows:
            name = f"测试{customer:07d}商贸有限公司"
            for k in range(min(1 + customer % 5, rows - written)):
                cents = (customer * 3701 + k * 100_900) % 9_000_000 + 100_000
                amount = Decimal(cents) / 100
                if credits and k == 3:  # a credit note (红字发票) now and then
                    amount = -amount / 4
                    amount = amount.quantize(Decimal("0.01"))
                paid = Decimal((customer % 5) * 100) if k == 0 and amount > 0 else Decimal(0)
                total += amount
                paid_total += paid
                month = 1 + (customer + k) % 11
                handle.write(
                    f"{name},王经理,上海市示例区测试路{customer % 500}号,HT-{customer:07d},"
                    f"F{customer:07d}{k},2026-{month:02d}-05,2026-{month + 1:02d}-05,{amount},{paid}\n"
                )
                written += 1
            customer += 1
        if credits:
            handle.write(f"合计,,,,,,,{total},{paid_total}\n")


def make_xlsx(csv_path: Path, path: Path) -> None:
    """The same rows as an .xlsx workbook (numbers as numbers, as an ERP's Excel export has them)."""
    import csv

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("应收明细")
    with csv_path.open(encoding="gbk", newline="") as handle:
        for cells in csv.reader(handle):
            sheet.append([float(c) if c.replace(".", "", 1).lstrip("-").isdigit() else c for c in cells])
    book.save(path)


def measured(command: list[str], cwd: str) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system: what contention on a shared machine does not
    change), peak RSS (MB) and exit code of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    assert process.stderr is not None
    err = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        print(f"  exit {code}: {err.decode('utf-8', 'replace')[-400:]}", file=sys.stderr)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="invoice rows, comma-separated")
    parser.add_argument("--tree", action="append", help="checkout to run (default: this one); repeatable")
    parser.add_argument("--formats", default="csv,xlsx", help="file formats to run, comma-separated")
    parser.add_argument(
        "--plain", action="store_true", help="no title, unit, credit notes or 合计 row (what older code can read)"
    )
    args = parser.parse_args()
    trees = [Path(t).resolve() for t in (args.tree or [str(REPO)])]
    python = str(REPO / ".venv" / "bin" / "python")
    print("| code | rows | file | command | wall s | CPU s | peak MB |")
    print("| --- | ---: | --- | --- | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="bench-erp-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            csv_data = Path(tmp) / f"ar-{size}.csv"
            make_csv(csv_data, size, credits=not args.plain)
            files = {"csv": csv_data}
            if "xlsx" in args.formats.split(","):
                files["xlsx"] = csv_data.with_suffix(".xlsx")
                make_xlsx(csv_data, files["xlsx"])
            for fmt in args.formats.split(","):
                data = files[fmt]
                for tree in trees:
                    base = [
                        python,
                        "-c",
                        "import sys; from generator.cli import main; sys.exit(main())",
                        "--project",
                        str(tree),
                    ]
                    commands = {
                        "ladder": [
                            *base,
                            "ladder",
                            str(data),
                            "--as-of",
                            "2026-12-31",
                            "--out",
                            str(Path(tmp) / "plan.csv"),
                        ],
                        "letters --dry-run": [
                            *base,
                            "letters",
                            str(data),
                            "--template",
                            "reminder-1",
                            "--dry-run",
                            "--date",
                            "2026-12-31",
                        ],
                    }
                    env_path = os.environ.get("PYTHONPATH", "")
                    os.environ["PYTHONPATH"] = str(tree)
                    try:
                        for label, command in commands.items():
                            seconds, cpu, peak, code = measured(command, tmp)
                            status = "" if code == 0 else f" (exit {code})"
                            print(
                                f"| {tree.name} | {size:,} | {fmt} | {label}{status} | {seconds:.1f} | "
                                f"{cpu:.1f} | {peak:.0f} |",
                                flush=True,
                            )
                    finally:
                        os.environ["PYTHONPATH"] = env_path
    return 0


if __name__ == "__main__":
    sys.exit(main())
